export const GENERATED_FILE: string;
export const OPTIONAL_GRAPH_FEATURES: Record<
  string,
  { permissions: string[]; directoryMethods: string[]; switchedBy: string }
>;
export interface GraphPermissionsDocument {
  $comment: string;
  appRoles: { permission: string; feature: string }[];
}
export function graphPermissionsDocument(
  requiredGraphPermissions: readonly { permission: string; why: string }[],
): GraphPermissionsDocument;
