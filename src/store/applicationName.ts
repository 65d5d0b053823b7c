/** Every connection names itself in pg_stat_activity (a DATABASE_URL's own application_name wins). */
export const APPLICATION_NAME = 'realmgate';
