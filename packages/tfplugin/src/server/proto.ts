import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import protobuf from "protobufjs/light.js";
import descriptor from "../proto/descriptor.json" with { type: "json" };

/**
 * Protobuf types and gRPC service definitions built from the committed descriptor JSON
 * (see scripts/generate-descriptor.ts): no .proto parsing at start-up.
 */
const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);

/** A plain message object (field names as in the .proto). */
export type Message = Record<string, unknown>;

function type(name: string): protobuf.Type {
  return root.lookupType(name);
}

const toObjectOptions: protobuf.IConversionOptions = { longs: Number, enums: Number, defaults: true, arrays: true, objects: true };

/** Builds a grpc-js service definition for a service of the descriptor. */
export function serviceDefinition(serviceName: string): ServiceDefinition {
  const service = root.lookupService(serviceName);
  const definition: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of service.methodsArray) {
    const requestType = type(method.resolvedRequestType?.fullName ?? method.requestType);
    const responseType = type(method.resolvedResponseType?.fullName ?? method.responseType);
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: (m) => Buffer.from(requestType.encode(requestType.fromObject(m)).finish()),
      requestDeserialize: (b) => requestType.toObject(requestType.decode(b), toObjectOptions),
      responseSerialize: (m) => Buffer.from(responseType.encode(responseType.fromObject(m)).finish()),
      responseDeserialize: (b) => responseType.toObject(responseType.decode(b), toObjectOptions),
    };
  }
  return definition;
}
