/**
 * A self-signed certificate for the name "localhost" only (not 127.0.0.1), valid 2020–2120, and
 * its key: for TLS receivers in tests. The server under test trusts it only when its process is
 * given it as NODE_EXTRA_CA_CERTS; nothing else ever does. Test material, never a secret.
 */
export const LOCALHOST_CERT = `
-----BEGIN CERTIFICATE-----
MIIBhTCCASqgAwIBAgICEAAwCgYIKoZIzj0EAwIwFDESMBAGA1UEAwwJbG9jYWxo
b3N0MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAUMRIwEAYDVQQD
DAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASMDlmZuapelK1Q
8o0rrlP1sIW4gNsB+yBAeFP32f7PZdcQTXrfCxlS46HYrmbUHG8vKiSO6Ujh+4ri
SiQPcFCHo2owaDAUBgNVHREEDTALgglsb2NhbGhvc3QwDAYDVR0TAQH/BAIwADAO
BgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFJgu
k8ZTyItOeOOH1VEBewMzIuSoMAoGCCqGSM49BAMCA0kAMEYCIQDcPeZQ2QT57qxA
lYUnAN2RS1VIYrINdQzdkmN2A/Q4cgIhAO2tgE2HnkmOuylv0RTu/k2cMlGD/qWh
KB/6+eMUs/v4
-----END CERTIFICATE-----
`.trim();

export const LOCALHOST_KEY = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgU3sNkvs9qy4GS/Gm
e6Pc6T5fX3YZpyA4/YuQMev3JBGhRANCAASMDlmZuapelK1Q8o0rrlP1sIW4gNsB
+yBAeFP32f7PZdcQTXrfCxlS46HYrmbUHG8vKiSO6Ujh+4riSiQPcFCH
-----END PRIVATE KEY-----
`.trim();
