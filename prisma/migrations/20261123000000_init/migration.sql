-- CreateTable
CREATE TABLE "realm" (
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "realm_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "org" (
    "realm" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "org_pkey" PRIMARY KEY ("realm","name")
);

-- CreateTable
CREATE TABLE "app_user" (
    "realm" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("realm","name")
);

-- CreateTable
CREATE TABLE "role" (
    "realm" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "permissions" TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "role_pkey" PRIMARY KEY ("realm","name")
);

-- CreateTable
CREATE TABLE "membership" (
    "realm" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "org" TEXT NOT NULL DEFAULT '',
    "roles" TEXT[],
    "permissions" TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "revision" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("realm","user","org")
);

-- CreateTable
CREATE TABLE "change_log" (
    "revision" BIGINT NOT NULL,
    "realm" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_log_pkey" PRIMARY KEY ("revision")
);

-- CreateTable
CREATE TABLE "casbin_rule" (
    "id" SERIAL NOT NULL,
    "ptype" TEXT NOT NULL,
    "v0" TEXT,
    "v1" TEXT,
    "v2" TEXT,
    "v3" TEXT,
    "v4" TEXT,
    "v5" TEXT,

    CONSTRAINT "casbin_rule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "membership_realm_org_idx" ON "membership"("realm", "org");

-- CreateIndex
CREATE INDEX "membership_expires_at_idx" ON "membership"("expires_at");

-- CreateIndex
CREATE INDEX "change_log_realm_revision_idx" ON "change_log"("realm", "revision");

-- CreateIndex
CREATE INDEX "casbin_rule_ptype_v0_v1_idx" ON "casbin_rule"("ptype", "v0", "v1");
