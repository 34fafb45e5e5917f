/** The MIME type the SDK's rich display sends (pyrqs `QueryResult._repr_mimebundle_`). */
export const QUERY_RESULT_MIME = 'application/vnd.vce.query-result+json';
