import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123220940 } from './Migration20261123220940';

// Append new migrations here after `pnpm db:migration:create`.
export const migrationsList: MigrationObject[] = [{ name: 'Migration20261123220940', class: Migration20261123220940 }];
