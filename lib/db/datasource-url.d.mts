export declare const DEFAULT_DATABASE_URL: string;
export type ParsedDatabaseUrl = { kind: "sqlite"; url: string; file: string } | { kind: "postgres"; url: string };
export declare function parseDatabaseUrl(url?: string): ParsedDatabaseUrl;
