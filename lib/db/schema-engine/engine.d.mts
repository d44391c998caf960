export declare function engineVersion(): string;
export interface Datasource {
  displayName: string;
  exists(): Promise<boolean>;
  create(): Promise<void>;
  drop(): Promise<void>;
}
export declare function openDatasource(url?: string, shadowDatabaseUrl?: string): Datasource;
export interface WasmSchemaEngine {
  call(method: string, params: unknown): Promise<unknown>;
  close(): Promise<void>;
}
export declare function startWasmEngine(options: {
  datamodels?: [string, string][];
  datasource?: { url?: string; shadowDatabaseUrl?: string };
  log: (message: string) => void;
}): Promise<WasmSchemaEngine>;
