import { X509Certificate } from 'node:crypto';

/**
 * The public certificate of the simulated account's imported certificate: `shop.queenofsandiego.com` (with
 * `pay.queenofsandiego.com`), RSA 2048, signed by {@link IMPORTED_CHAIN_PEM}. Made once with `openssl` for the
 * simulation; its private key and the CA's were discarded, as only public material belongs here.
 */
export const IMPORTED_CERTIFICATE_PEM = `-----BEGIN CERTIFICATE-----
MIIDtzCCAp+gAwIBAgIURiB/BFJyJZebHluBp2HIhnv31cEwDQYJKoZIhvcNAQEL
BQAwUTELMAkGA1UEBhMCVVMxHDAaBgNVBAoME1RpZGVtYXJrIFNpbXVsYXRpb24x
JDAiBgNVBAMMG1RpZGVtYXJrIFNpbXVsYXRpb24gVGVzdCBDQTAeFw0yNjEyMDUw
NTUxMDNaFw0yODAxMDYwNTUxMDNaMCMxITAfBgNVBAMMGHNob3AucXVlZW5vZnNh
bmRpZWdvLmNvbTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBALAWAUDa
khT57W49siFPETgphRzmnCV5t5vhPgAGTLmiSgynkWjAKhwtNZzfYfXevpCv5Btk
YN+CeKu8MA+dEmZMFpFsPDgoLwIuIlu+CM5zfznNG5eBFkOah14xSpxd7MzEZN1j
DuVa61MRevDSHqpKfEF/sICK8WeH+AqIFN0sGPezj/cdVV7tuNulOBmDuB0jPul/
aToF5jXijN6mGWpLxx0oPDqK/CMhDlL6ikjlM6a8ETFI2UrjtRlXYFDV39OwRrsc
CvsnCVsg7wjl1PaalH0dw+0g7TrpvF9qHjSUAQeGRXexfeRr8C2ulwkDnN6ZjXp9
ecByDmERTUFqzY0CAwEAAaOBtDCBsTA8BgNVHREENTAzghhzaG9wLnF1ZWVub2Zz
YW5kaWVnby5jb22CF3BheS5xdWVlbm9mc2FuZGllZ28uY29tMA4GA1UdDwEB/wQE
AwIFoDATBgNVHSUEDDAKBggrBgEFBQcDATAMBgNVHRMBAf8EAjAAMB0GA1UdDgQW
BBQSgfdnP9nngIsCEASmUBz54nKE3zAfBgNVHSMEGDAWgBSDBnLyF8ajS3Rl9FeJ
Flc1ZL/rDzANBgkqhkiG9w0BAQsFAAOCAQEANV6lHmMg5DCvPGBf92/QCQt1ObQW
FMik/8m01UxjD1Axt8lbG5EMDsiWShzFkVQYIywEs4xCixjRiMm1qk0R0lhyH0Yj
wwOxRDXAL1V4Pz24Hu078OzP+OgfQYTtes0YSO0grR9yBhUHDI53j0MN3gBFT0rS
4bTRryH8K9adLPLMNydKn5OiTuiGoa7CBi+IBhBceSfA5NdYeh2qFxnt3nOxPDTt
kpFpIjRnpDNKQd+i+Ck66uslBHAPfq199+Gux9hhgdrxALq3or0N6M1aBCP5ZOF3
WX+InoK3OWNwQK7tJUTQB/Suju7NDTksNgF3+VMKIobgSdDR+q3Qjs7ICw==
-----END CERTIFICATE-----
`;

/** The chain of {@link IMPORTED_CERTIFICATE_PEM}: the self-signed "Tidemark Simulation Test CA". */
export const IMPORTED_CHAIN_PEM = `-----BEGIN CERTIFICATE-----
MIIDkzCCAnugAwIBAgIUQnF2mYyBelnbcw7HPK7j4Y0gCEIwDQYJKoZIhvcNAQEL
BQAwUTELMAkGA1UEBhMCVVMxHDAaBgNVBAoME1RpZGVtYXJrIFNpbXVsYXRpb24x
JDAiBgNVBAMMG1RpZGVtYXJrIFNpbXVsYXRpb24gVGVzdCBDQTAeFw0yNjEyMDUw
NTUxMDNaFw0zNjEyMDIwNTUxMDNaMFExCzAJBgNVBAYTAlVTMRwwGgYDVQQKDBNU
aWRlbWFyayBTaW11bGF0aW9uMSQwIgYDVQQDDBtUaWRlbWFyayBTaW11bGF0aW9u
IFRlc3QgQ0EwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDS5fqYJCWn
CKTc2bLP2LicYuGB4QAAGaaAeUiq8Y+kO005xupfwhXATcveJkDULIPWQFsAfLD9
27Fxe/FtgG15GNAA/LgKSn+/JPfYgIlFbSiImg+b02aCUk23C7VCCs8jCWE9IUM2
J53R5MplQfjOquRR4Ky68rLCGUyGHcwlMXSv2ZR0tALFvVBimJPZWh5ZrhQhfa4L
Bl1WeLqTT9wOZd7dhzdSpx50OQOdwt4EsCcwXzknk2HWltswvfG4BhiEcYGr16J8
/X/TjY8qYHrNNEHEM4l86LwJPD2JDNxx1h6UG0iLqZ4GjPhtQPUYu1gijpdrx9wV
mRugte/0vjSFAgMBAAGjYzBhMB0GA1UdDgQWBBSDBnLyF8ajS3Rl9FeJFlc1ZL/r
DzAfBgNVHSMEGDAWgBSDBnLyF8ajS3Rl9FeJFlc1ZL/rDzAPBgNVHRMBAf8EBTAD
AQH/MA4GA1UdDwEB/wQEAwIBBjANBgkqhkiG9w0BAQsFAAOCAQEAkglt5FaIYI+c
aF4l2V7JhQGi2fobJieUKAmOYJglIilldnDskHumf8Rdj2qI+yyl0O5NYXKo1R11
x04FfeKSFZ9o1cm3/RrpXAUQ8nrEFbib8x6xYMkbPZ3RC3SjFkHoyIfiILItIMg/
6APU2DwzUENodEfOONQBXRKwKOGSEcmaE3zgo6SeEEnKS+8EEFupxHU3/DZJfurI
XnAmW0Ddel3v42oVO881cjGTFAUuVgsdYRnsoPV5dWGA2HCHktmJLkdh2hU7hhCw
z6krMwris/Hj+E8taImPRWZO55GdQqvYvUsIYvAa8Vkcnxw1swUi6qO6Fe2h0tJP
cDilubhJJA==
-----END CERTIFICATE-----
`;

/** What ACM reports of a certificate it reads from the PEM: the facts `DescribeCertificate` shows. */
export interface PemFacts {
  readonly domainName: string;
  readonly subjectAlternativeNames: readonly string[];
  readonly subject: string;
  /** The issuer's organisation, as ACM names issuers. */
  readonly issuer: string;
  /** Lower-case hex bytes separated by colons, as ACM writes serials. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** The facts of a PEM certificate, read with Node's X.509 parser. */
export function pemFacts(pem: string): PemFacts {
  const certificate = new X509Certificate(pem);
  const commonName = /^CN=(.+)$/m.exec(certificate.subject)?.[1] ?? '';
  const names = (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((name) => name.startsWith('DNS:'))
    .map((name) => name.slice('DNS:'.length));
  return {
    domainName: commonName,
    subjectAlternativeNames: names.length > 0 ? names : [commonName],
    subject: `CN=${commonName}`,
    issuer: /^O=(.+)$/m.exec(certificate.issuer)?.[1] ?? certificate.issuer,
    serial: (certificate.serialNumber.toLowerCase().match(/../g) ?? []).join(':'),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
  };
}
