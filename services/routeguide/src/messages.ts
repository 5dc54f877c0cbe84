// Shapes of the routeguide messages as @grpc/proto-loader decodes them (keepCase, defaults):
// an absent message field arrives as null.

export interface Point {
  latitude: number;
  longitude: number;
}

export interface Rectangle {
  lo: Point | null;
  hi: Point | null;
}

export interface Feature {
  name: string;
  location: Point | null;
}

export interface RouteNote {
  location: Point | null;
  message: string;
}

export interface RouteSummary {
  point_count: number;
  feature_count: number;
  distance: number;
  elapsed_time: number;
}

/** A feature as the backend stores it. */
export interface StoredFeature {
  feature: Feature;
  times_served: number;
  last_served_unix_ms: number;
}
