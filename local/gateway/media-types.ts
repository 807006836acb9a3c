const TEXT_MEDIA_TYPES = [
  /^text\//,
  /^application\/(json|xml|javascript|x-www-form-urlencoded|x-ndjson)$/,
  /^application\/[\w.+-]+\+(json|xml)$/,
];

/**
 * Whether API Gateway hands a body with this `Content-Type` to the function as text; any other body
 * arrives base64-encoded with `isBase64Encoded: true`. A body without a type counts as text.
 */
export function isTextMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return !mediaType || TEXT_MEDIA_TYPES.some((pattern) => pattern.test(mediaType));
}
