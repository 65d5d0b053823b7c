/**
 * The JSON schema of the file REALMGATE_EXT_AUTHZ_CONFIG names (written in YAML). Checked by Ajv at
 * start-up; what a schema cannot say (a path's syntax, an org parameter the path declares) is
 * checked in settings.ts.
 */
const HEADER_NAME = "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$";
const NAME = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$';
const TAG = '^[A-Za-z0-9*:;._-]{1,62}$';

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'] as const;

const fromHeader = {
  type: 'object',
  additionalProperties: false,
  required: ['header'],
  properties: { header: { type: 'string', pattern: HEADER_NAME } },
};

export const EXT_AUTHZ_SETTINGS_SCHEMA = {
  $id: 'realmgate-ext-authz',
  type: 'object',
  additionalProperties: false,
  required: ['subjectHeader', 'routes'],
  properties: {
    subjectHeader: { type: 'string', pattern: HEADER_NAME },
    // a fixed realm name, or { header }; if/then words a bad value better than oneOf would
    realm: { if: { type: 'string' }, then: { type: 'string', pattern: NAME }, else: fromHeader },
    defaultAction: { type: 'string', enum: ['allow', 'deny'] },
    routes: {
      type: 'array',
      minItems: 1,
      maxItems: 10000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['method', 'path', 'permission'],
        properties: {
          method: { type: 'string', enum: ['*', ...METHODS] },
          path: { type: 'string', pattern: '^/', maxLength: 2048 },
          permission: { type: 'string', pattern: TAG },
          // one of { param } or { header }; left out for a realm-level check
          org: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            maxProperties: 1,
            properties: {
              param: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$' },
              header: { type: 'string', pattern: HEADER_NAME },
            },
          },
        },
      },
    },
  },
} as const;
