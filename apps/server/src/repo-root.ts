import { fileURLToPath } from 'node:url';

// This file sits directly in src/ as the bundles sit directly in dist/ (esbuild inlines it, and
// import.meta.url is then the bundle's), so three levels up is the repository root from both.
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
