export * from './users';
export * from './lenders';
export * from './cases';
