import { apiEndpoints } from '../api/api-endpoints';

/** The server's base for /files/ (the page's origin, or VITE_API_URL's server in a split deployment). */
export const filesBase = (): string => apiEndpoints().httpUrl.replace(/\/trpc\/?$/, '');

/** A path the server gave (a ticket's `/files/…?ticket=`) as a URL the browser can load. */
export const fileUrl = (path: string): string => `${filesBase()}${path}`;
