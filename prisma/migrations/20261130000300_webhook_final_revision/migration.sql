-- AlterTable
ALTER TABLE "webhook" ADD COLUMN "final_revision" BIGINT;
