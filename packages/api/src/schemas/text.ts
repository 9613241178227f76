/** Length in Unicode code points, so an emoji counts as one character on client and server alike. */
export const charCount = (text: string) => [...text].length;
