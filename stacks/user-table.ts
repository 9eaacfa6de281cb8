import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { Construct } from "constructs";
import { TABLE } from "../handlers/lib/adapters/table-definition.js";

export interface UserTableProps {
  name: string;
  deletionProtection: boolean | object;
}

/** The user and session table, from THE table definition the local runtime also uses. */
export class UserTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: UserTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: TABLE.partitionKey,
      rangeKey: TABLE.sortKey,
      attribute: TABLE.attributes.map((a) => ({ name: a.name, type: a.type })),
      globalSecondaryIndex: [{ name: TABLE.sessionsByOwner.name, hashKey: TABLE.sessionsByOwner.partitionKey, projectionType: "ALL" }],
      ttl: { attributeName: TABLE.ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true },
      // AWS-owned keys are always on; `enabled` selects a KMS key in this account (aws/dynamodb).
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection as boolean,
    });
  }
}
