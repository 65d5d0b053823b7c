/**
 * Identifiers of realms, orgs, roles and users. They appear in URLs and inside Casbin rules, so
 * they exclude "/" (the realm/org separator of domains), "," and quotes (Casbin's CSV form) and
 * white space. Kept in step with openapi.yaml.
 */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@+|:=~-]{0,127}$/;
