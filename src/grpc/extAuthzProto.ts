import path from 'node:path';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROJECT_ROOT } from '../projectRoot';

/** The vendored protocol definitions (see proto/README.md). */
export const PROTO_DIR = path.join(PROJECT_ROOT, 'proto');

/** Field names as on the wire (snake_case), 64-bit integers as strings, oneofs named. */
const LOAD_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, includeDirs: [PROTO_DIR] };

/** envoy.service.auth.v3.Authorization, loaded from proto/ once (servers and test clients share it). */
export function authorizationService(): ServiceClientConstructor {
  const definition = loadSync('envoy/service/auth/v3/external_auth.proto', LOAD_OPTIONS);
  const root = loadPackageDefinition(definition);
  const auth = ((root.envoy as GrpcObject).service as GrpcObject).auth as GrpcObject;
  return (auth.v3 as GrpcObject).Authorization as ServiceClientConstructor;
}

/** The parts of a CheckRequest realmgate reads (AttributeContext.Request.http). */
export interface CheckRequestMessage {
  attributes?: {
    request?: {
      http?: {
        method?: string;
        path?: string;
        headers?: Record<string, string>;
        header_map?: { headers?: { key?: string; value?: string; raw_value?: Buffer }[] };
      };
    };
  };
}

export interface HeaderValueOption {
  header: { key: string; value: string };
  append_action: 'OVERWRITE_IF_EXISTS_OR_ADD';
}

/** A CheckResponse: status OK with ok_response, or a denial with denied_response. */
export type CheckResponseMessage =
  | { status: { code: 0; message: string }; ok_response: { headers: HeaderValueOption[]; headers_to_remove: string[] } }
  | {
      status: { code: number; message: string };
      denied_response: { status: { code: number }; headers: HeaderValueOption[]; body: string };
    };
