/** Everything Cloison holds about the signed-in usager (src/modules/my-data). */

/** Where the usager downloads the export of their data (JSON, as an attachment). */
export const MY_DATA_EXPORT_URL = '/api/v1/me/data-export';
