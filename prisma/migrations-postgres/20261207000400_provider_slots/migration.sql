-- CreateTable
CREATE TABLE "ProviderSlot" (
    "provider" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "holder" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),

    CONSTRAINT "ProviderSlot_pkey" PRIMARY KEY ("provider","slot")
);
