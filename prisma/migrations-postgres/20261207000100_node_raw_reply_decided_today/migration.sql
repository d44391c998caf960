-- AlterTable
ALTER TABLE "Node" ADD COLUMN     "rawReply" TEXT;
