export * from './users';
export * from './lenders';
export * from './cases';
export * from './reminders';
export * from './shares';
export * from './case-facts';
export * from './data-versions';
