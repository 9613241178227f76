import { type ApiEndpoints, apiEndpointsForPage } from '@chat/client/core';

export type { ApiEndpoints };

/** This page's API: its own origin, unless VITE_API_URL points a split deployment elsewhere. */
export const apiEndpoints = (): ApiEndpoints =>
  apiEndpointsForPage(window.location, (import.meta.env.VITE_API_URL as string | undefined) ?? null);
