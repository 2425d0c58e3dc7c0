/** The Gantry server: configuration and start-up. */
export { loadConfig, ConfigError, configReference, type ServerConfig } from "./config.js";
export { startServer, VERSION, type RunningServer, type StartOptions } from "./server.js";
export { backupDatabase, restoreDatabase, BackupError } from "./db/backup.js";
