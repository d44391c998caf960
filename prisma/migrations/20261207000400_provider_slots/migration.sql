-- CreateTable
CREATE TABLE "ProviderSlot" (
    "provider" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "holder" TEXT,
    "leaseExpiresAt" DATETIME,

    PRIMARY KEY ("provider", "slot")
);
