-- AlterTable
ALTER TABLE "Export" ADD COLUMN     "dir" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "ExportFile" (
    "id" SERIAL NOT NULL,
    "exportId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,

    CONSTRAINT "ExportFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ExportFile_exportId_name_key" ON "ExportFile"("exportId", "name");

-- AddForeignKey
ALTER TABLE "ExportFile" ADD CONSTRAINT "ExportFile_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "Export"("id") ON DELETE CASCADE ON UPDATE CASCADE;
