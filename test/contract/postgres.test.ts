import { describeWithPostgres } from '../support/postgres';
import { groupCommitContract } from './groupCommitContract';
import { storageContract } from './storageContract';

describeWithPostgres('storage on PostgreSQL', () => storageContract('postgres'));
describeWithPostgres('group commit on PostgreSQL', () => groupCommitContract('postgres'));
