import { ROUTES, type RouteDefinition } from './routes';

/** Decodes `%XX` escapes; a malformed escape is kept as sent rather than failing the request. */
export function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export interface RouteMatch {
  route: RouteDefinition;
  /** Decoded values of the route's `{param}` segments. */
  pathParameters: Record<string, string>;
}

interface ResourceNode {
  literals: Map<string, ResourceNode>;
  parameter?: { name: string; node: ResourceNode };
  methods: Map<string, RouteDefinition>;
}

const newNode = (): ResourceNode => ({ literals: new Map(), methods: new Map() });

const segmentsOf = (path: string): string[] => path.split('/').filter((segment) => segment !== '');

function resourceTree(routes: readonly RouteDefinition[]): ResourceNode {
  const root = newNode();
  for (const route of routes) {
    let node = root;
    for (const segment of segmentsOf(route.path)) {
      const parameter = /^\{(.+)\}$/.exec(segment)?.[1];
      if (parameter) {
        node.parameter ??= { name: parameter, node: newNode() };
        node = node.parameter.node;
      } else {
        let child = node.literals.get(segment);
        if (!child) node.literals.set(segment, (child = newNode()));
        node = child;
      }
    }
    node.methods.set(route.method, route);
  }
  return root;
}

/**
 * Finds the route for a request path (as sent, percent-encoded) the way API Gateway walks its resources:
 * a literal segment wins over a `{param}` sibling, and a path whose resource lacks the method matches nothing.
 */
export function routeMatcher(routes: readonly RouteDefinition[] = ROUTES) {
  const root = resourceTree(routes);
  return (method: string, path: string): RouteMatch | undefined => {
    let node: ResourceNode | undefined = root;
    const pathParameters: Record<string, string> = {};
    for (const segment of segmentsOf(path).map(decodeComponent)) {
      const literal: ResourceNode | undefined = node.literals.get(segment);
      if (literal) {
        node = literal;
      } else if (node.parameter) {
        pathParameters[node.parameter.name] = segment;
        node = node.parameter.node;
      } else {
        return undefined;
      }
    }
    const route = node.methods.get(method);
    return route && { route, pathParameters };
  };
}
