import { buildSchema, execute, getNamedType, Kind, parse, validate } from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLObjectType,
  GraphQLSchema,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { isInterfaceType, isObjectType } from 'graphql';
import type { GitStore, GitTreeEntry } from './git-store.js';
import type { GitHubLimits } from './limits.js';
import { SOMETHING_WENT_WRONG } from './limits.js';

/** The part of GitHub's GraphQL schema the app uses, with GitHub's field names and types. */
const SDL = `
  scalar GitObjectID
  type Query {
    repository(owner: String!, name: String!): Repository
    organization(login: String!): Organization
  }
  type Repository { name: String! object(expression: String, oid: GitObjectID): GitObject }
  interface GitObject { oid: GitObjectID! abbreviatedOid: String! }
  type Blob implements GitObject {
    oid: GitObjectID! abbreviatedOid: String! byteSize: Int! isBinary: Boolean isTruncated: Boolean! text: String
  }
  type Tree implements GitObject { oid: GitObjectID! abbreviatedOid: String! entries: [TreeEntry!] }
  type Commit implements GitObject { oid: GitObjectID! abbreviatedOid: String! message: String! tree: Tree! }
  type TreeEntry {
    name: String! path: String mode: Int! type: String! oid: GitObjectID! object: GitObject size: Int! extension: String
  }
  type Organization { login: String! team(slug: String!): Team }
  enum TeamMembershipType { IMMEDIATE CHILD_TEAM ALL }
  type Team {
    slug: String!
    members(first: Int, last: Int, after: String, before: String, membership: TeamMembershipType): TeamMemberConnection!
  }
  type TeamMemberConnection { nodes: [User] totalCount: Int! pageInfo: PageInfo! }
  type User { login: String! }
  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! endCursor: String startCursor: String }
`;

export interface GraphqlWorld {
  store: GitStore;
  /** `owner/name` of the one repository served. */
  owner: string;
  repo: string;
  /** `org/slug` -> member logins. */
  teams: ReadonlyMap<string, readonly string[]>;
  limits: GitHubLimits;
}

export interface GraphqlAnswer {
  status: number;
  body: unknown;
  /** Blob text bytes the query asked for (also when it was refused for it). */
  textBytes: number;
  nodes: number;
}

let schema: GraphQLSchema | undefined;

/**
 * Answers a GraphQL request as GitHub does for this schema: parse and validation errors as
 * `{errors}` (HTTP 200), a connection without `first`/`last` in 1-100 or a query over the node
 * limit refused before it runs, and a query whose blob texts exceed the budget answered with
 * HTTP 500 "Something went wrong while executing your query".
 */
export function answerGraphql(world: GraphqlWorld, request: { query?: unknown; variables?: unknown }): GraphqlAnswer {
  schema ??= buildSchema(SDL);
  const variables = (request.variables ?? {}) as Record<string, unknown>;
  let document: DocumentNode;
  try {
    document = parse(String(request.query ?? ''));
  } catch (error) {
    return { status: 200, body: { errors: [{ message: (error as Error).message }] }, textBytes: 0, nodes: 0 };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0)
    return { status: 200, body: { errors: invalid.map((e) => ({ message: e.message })) }, textBytes: 0, nodes: 0 };
  const counted = countNodes(schema, document, variables);
  if ('error' in counted)
    return {
      status: 200,
      body: { errors: [{ type: 'MISSING_PAGINATION_BOUNDARIES', message: counted.error }] },
      textBytes: 0,
      nodes: 0,
    };
  if (counted.nodes > world.limits.graphqlNodes)
    return {
      status: 200,
      body: {
        errors: [
          {
            type: 'MAX_NODE_LIMIT_EXCEEDED',
            message: `This query requests up to ${counted.nodes} possible nodes which exceeds the maximum limit of ${world.limits.graphqlNodes}.`,
          },
        ],
      },
      textBytes: 0,
      nodes: counted.nodes,
    };
  const budget = { textBytes: 0 };
  const result = execute({ schema, document, rootValue: rootOf(world, budget), variableValues: variables });
  if (result instanceof Promise) throw new Error('the test GraphQL resolvers are synchronous');
  if (budget.textBytes > world.limits.graphqlTextBytes)
    return {
      status: 500,
      body: { data: null, errors: [{ message: SOMETHING_WENT_WRONG }] },
      textBytes: budget.textBytes,
      nodes: counted.nodes,
    };
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors) body['errors'] = result.errors.map((e) => ({ ...e.toJSON(), type: typeOfError(e.message) }));
  return { status: 200, body, textBytes: budget.textBytes, nodes: counted.nodes };
}

function typeOfError(message: string): string {
  return message.startsWith('Could not resolve') ? 'NOT_FOUND' : 'INTERNAL';
}

function rootOf(world: GraphqlWorld, budget: { textBytes: number }): object {
  const { store } = world;
  const blobNode = (sha: string): object => {
    const bytes = store.blobs.get(sha)!;
    // A NUL byte makes a blob binary (text null), as GitHub's own detection does. How GitHub turns
    // other non-UTF-8 bytes into `text` is not documented: here they are decoded lossily, so a
    // client must check the text against the blob's SHA rather than trust it.
    const binary = bytes.includes(0);
    return {
      __typename: 'Blob',
      oid: sha,
      abbreviatedOid: sha.slice(0, 7),
      byteSize: bytes.length,
      isBinary: binary,
      isTruncated: false,
      text: () => {
        if (binary) return null;
        budget.textBytes += bytes.length;
        return bytes.toString('utf8');
      },
    };
  };
  const treeNode = (sha: string, prefix: string): object => ({
    __typename: 'Tree',
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    entries: () => (store.trees.get(sha) ?? []).map((e) => entryNode(e, prefix)),
  });
  const objectNode = (entry: GitTreeEntry, path: string): object | null =>
    entry.type === 'tree'
      ? treeNode(entry.sha, path === '' ? '' : `${path}/`)
      : entry.type === 'blob'
        ? blobNode(entry.sha)
        : null;
  const entryNode = (entry: GitTreeEntry, prefix: string): object => ({
    name: entry.name,
    path: `${prefix}${entry.name}`,
    mode: parseInt(entry.mode, 8),
    type: entry.type,
    oid: entry.sha,
    size: entry.type === 'blob' ? store.blobs.get(entry.sha)!.length : 0,
    extension: entry.name.includes('.') ? entry.name.slice(entry.name.lastIndexOf('.')) : null,
    object: () => objectNode(entry, `${prefix}${entry.name}`),
  });
  const repository = {
    name: world.repo,
    object: ({ expression, oid }: { expression?: string; oid?: string }) => {
      if (oid !== undefined) {
        if (store.blobs.has(oid)) return blobNode(oid);
        if (store.trees.has(oid)) return treeNode(oid, '');
        return null;
      }
      const [rev = '', path] = (expression ?? '').split(/:(.*)/s);
      const commit = store.commitOf(rev);
      if (!commit) return null;
      const c = store.commits.get(commit)!;
      if (path === undefined)
        return {
          __typename: 'Commit',
          oid: commit,
          abbreviatedOid: commit.slice(0, 7),
          message: c.message,
          tree: treeNode(c.tree, ''),
        };
      const entry = store.entryAt(c.tree, path);
      return entry ? objectNode(entry, path.replace(/\/+$/, '')) : null;
    },
  };
  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (owner.toLowerCase() !== world.owner.toLowerCase() || name.toLowerCase() !== world.repo.toLowerCase())
        throw new Error(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repository;
    },
    organization: ({ login }: { login: string }) => ({
      login,
      team: ({ slug }: { slug: string }) => {
        const members = world.teams.get(`${login}/${slug}`);
        if (!members) return null;
        return {
          slug,
          members: ({ first = 100, after }: { first?: number; after?: string }) => {
            const start = after ? Number(Buffer.from(after, 'base64').toString('utf8').split(':')[1]) : 0;
            const page = members.slice(start, start + first);
            const end = start + page.length;
            return {
              nodes: page.map((login) => ({ login })),
              totalCount: members.length,
              pageInfo: {
                hasNextPage: end < members.length,
                hasPreviousPage: start > 0,
                endCursor: page.length > 0 ? Buffer.from(`cursor:${end}`).toString('base64') : null,
                startCursor: page.length > 0 ? Buffer.from(`cursor:${start}`).toString('base64') : null,
              },
            };
          },
        };
      },
    }),
  };
}

/**
 * GitHub's node count: each connection multiplies the nodes below it by its `first`/`last`,
 * which must be given and be 1-100 ("Rate limits and query limits for the GraphQL API").
 */
function countNodes(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): { nodes: number } | { error: string } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const valueOf = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.kind === Kind.VARIABLE) return variables[node.name.value];
    if (node.kind === Kind.INT) return Number(node.value);
    return undefined;
  };
  let nodes = 0;
  let error: string | undefined;
  const walk = (set: SelectionSetNode, type: GraphQLCompositeType, multiplier: number): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(selection.selectionSet, on as GraphQLCompositeType, multiplier);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment)
          walk(
            fragment.selectionSet,
            schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType,
            multiplier,
          );
      } else if (isObjectType(type) || isInterfaceType(type)) {
        const field = (type as GraphQLObjectType).getFields()[selection.name.value];
        if (!field || !selection.selectionSet) continue;
        const named = getNamedType(field.type) as GraphQLCompositeType;
        let factor = 1;
        if (named.name.endsWith('Connection')) {
          const arg = (name: string) => valueOf(selection.arguments?.find((a) => a.name.value === name)?.value);
          const n = (arg('first') ?? arg('last')) as number | undefined;
          if (typeof n !== 'number' || n < 1 || n > 100) {
            error ??= `You must provide a \`first\` or \`last\` value between 1 and 100 to properly paginate the \`${selection.name.value}\` connection.`;
            continue;
          }
          factor = n;
          nodes += multiplier * n;
        }
        walk(selection.selectionSet, named, multiplier * factor);
      }
    }
  };
  for (const d of document.definitions)
    if (d.kind === Kind.OPERATION_DEFINITION) walk(d.selectionSet, schema.getQueryType()!, 1);
  return error ? { error } : { nodes };
}
