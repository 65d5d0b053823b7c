-- CreateTable
CREATE TABLE "change_log_part" (
    "revision" BIGINT NOT NULL,
    "n" INTEGER NOT NULL,
    "ops" JSONB NOT NULL,

    CONSTRAINT "change_log_part_pkey" PRIMARY KEY ("revision","n")
);
