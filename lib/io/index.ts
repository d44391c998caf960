/**
 * lib/io — seeds in (streaming parsers for JSON Lines, JSON arrays and CSV/TSV; Alpaca, Dolly,
 * ShareGPT, IFEval, FollowComplexInstruction, plain and mapped shapes) and curated pairs out
 * (streaming TRL DPO, OpenAI DPO, SFT and chains writers, manifests, dataset cards).
 */
export { ImportError, formatBytes, type RecordIssue } from "./errors.ts";
export { contentHash, normaliseText, seedText } from "./hash.ts";
export { boundHeapGrowth } from "./heap.ts";
export {
  DEFAULT_LIMITS,
  UPLOAD_LIMITS,
  bytesOf,
  webStreamSource,
  type ByteSource,
  type ImportLimits,
} from "./parse/lines.ts";
export { FILE_FORMATS, FILE_FORMAT_LABELS, type FileFormat } from "./parse/records.ts";
export {
  SHAPES,
  SHAPE_LABELS,
  columnMappingSchema,
  parseMappingSpec,
  type ColumnMapping,
  type ShapeName,
  type VerifiableConstraint,
} from "./shapes.ts";
export {
  ON_ERROR,
  importOptionsSchema,
  importSeeds,
  previewImport,
  type ImportOptions,
  type ImportPreview,
  type ImportReport,
  type OnError,
  type PreviewRow,
} from "./import.ts";
export {
  EXPORT_STATUSES,
  PAIR_METHODS,
  countPairs,
  exportFiltersSchema,
  iteratePairs,
  toPairFilter,
  type ExportFilters,
  type ExportFiltersInput,
  type ExportPair,
} from "./export/select.ts";
export {
  EXPORT_FORMATS,
  EXPORT_FORMAT_LABELS,
  ROW_SCHEMAS,
  openaiDpoRowSchema,
  sftRowSchema,
  trlDpoConversationalRowSchema,
  trlDpoRowSchema,
  chainsRowSchema,
  type ExportFormat,
} from "./export/formats.ts";
export {
  APP_VERSION,
  exportFileName,
  getExport,
  listExports,
  parseExportFilters,
  parseExportFormat,
  runExport,
  createExport,
  BUNDLE_FILES,
  getExportBundle,
  type StoredExportFile,
  type ExportCounts,
  type ExportListItem,
  type ExportManifest,
  type ExportRequest,
  type ExportResult,
} from "./export/export.ts";
export {
  EXPORT_JOB,
  backgroundExportThreshold,
  cancelExport,
  listExportJobs,
  startExport,
  type ExportJobItem,
  type StartedExport,
} from "./export/background.ts";
export { datasetCard, licenceFields, sizeCategory } from "./export/card.ts";
export { bundleZipResponse, exportRoot, zipStream } from "./export/store.ts";
export { uploadMapping, uploadOptionsSchema, type UploadOptions } from "./upload-options.ts";
