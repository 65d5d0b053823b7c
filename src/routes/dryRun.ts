import type { Request } from 'express';
import { DEFAULT_PREVIEW_LIMIT } from '../services/previewWrite';

/** `?dryRun=true` (openapi.yaml validates it as a boolean). */
export const dryRun = (req: Request): boolean => String(req.query.dryRun) === 'true';

/** `?limit=` of a dry-run: how many granted and revoked entries to list (openapi.yaml bounds it). */
export const previewLimit = (req: Request): number =>
  req.query.limit === undefined ? DEFAULT_PREVIEW_LIMIT : Number(req.query.limit);
