/** The look of a text input, select or textarea, shared by the form fields and the filter forms. */
export const inputClass =
  'block w-full min-h-10 rounded-md border border-stone-300 bg-white px-3 py-2 text-base text-stone-900 shadow-sm focus:border-teal-600 focus:outline-none focus:ring-2 focus:ring-teal-600/50 aria-[invalid=true]:border-red-500 aria-[invalid=true]:focus:ring-red-600/50 sm:text-sm';
