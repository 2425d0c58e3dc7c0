/** Database engines with the version the simulator picks when `engine_version` is not set. */
export const DB_ENGINES: { readonly [engine: string]: { readonly defaultVersion: string; readonly port: number; readonly aurora: boolean } } = {
  mysql: { defaultVersion: "8.0.39", port: 3306, aurora: false },
  postgres: { defaultVersion: "16.4", port: 5432, aurora: false },
  mariadb: { defaultVersion: "10.11.9", port: 3306, aurora: false },
  "oracle-ee": { defaultVersion: "19.0.0.0.ru-2024-07.rur-2024-07.r1", port: 1521, aurora: false },
  "oracle-se2": { defaultVersion: "19.0.0.0.ru-2024-07.rur-2024-07.r1", port: 1521, aurora: false },
  "sqlserver-ee": { defaultVersion: "16.00.4140.3.v1", port: 1433, aurora: false },
  "sqlserver-se": { defaultVersion: "16.00.4140.3.v1", port: 1433, aurora: false },
  "sqlserver-ex": { defaultVersion: "16.00.4140.3.v1", port: 1433, aurora: false },
  "sqlserver-web": { defaultVersion: "16.00.4140.3.v1", port: 1433, aurora: false },
  "aurora-mysql": { defaultVersion: "8.0.mysql_aurora.3.05.2", port: 3306, aurora: true },
  "aurora-postgresql": { defaultVersion: "16.4", port: 5432, aurora: true },
};

const CLUSTER_ENGINES = ["aurora-mysql", "aurora-postgresql", "mysql", "postgres"];

/** Validator for `aws_db_instance.engine` (Aurora engines belong to cluster instances). */
export function validateDbEngine(value: string): string | undefined {
  const info = DB_ENGINES[value];
  if (!info) return `${JSON.stringify(value)} is not an RDS engine: use one of ${Object.keys(DB_ENGINES).filter((e) => !DB_ENGINES[e]?.aurora).join(", ")}`;
  if (info.aurora) return `engine ${value} runs in clusters: declare an aws_rds_cluster and aws_rds_cluster_instance instead of an aws_db_instance`;
  return undefined;
}

/** Validator for `aws_rds_cluster.engine` and `aws_rds_cluster_instance.engine`. */
export function validateClusterEngine(value: string): string | undefined {
  if (!CLUSTER_ENGINES.includes(value)) return `${JSON.stringify(value)} is not an RDS cluster engine: use one of ${CLUSTER_ENGINES.join(", ")}`;
  return undefined;
}
