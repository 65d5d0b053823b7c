import { describeWithPostgres } from '../support/postgres';
import { storageContract } from './storageContract';

describeWithPostgres('storage on PostgreSQL', () => storageContract('postgres'));
