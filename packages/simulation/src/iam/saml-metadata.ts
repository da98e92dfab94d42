/**
 * The SAML 2.0 metadata a Google Workspace identity provider publishes (entity id, signing certificate, SSO
 * endpoints): public by design, uploaded to IAM as the provider's `SAMLMetadataDocument`. The certificate is a real
 * self-signed X.509 certificate made for the simulation (its private key was discarded).
 */
export const GOOGLE_WORKSPACE_METADATA = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://accounts.google.com/o/saml2?idpid=C03xk8q2n" validUntil="2028-04-30T17:31:09.000Z">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>MIIDczCCAlugAwIBAgIFGNLGqfEwDQYJKoZIhvcNAQELBQAwezELMAkGA1UEBhMCVVMxEzARBgNV
BAgMCkNhbGlmb3JuaWExFjAUBgNVBAcMDU1vdW50YWluIFZpZXcxFDASBgNVBAoMC0dvb2dsZSBJ
bmMuMRgwFgYDVQQLDA9Hb29nbGUgRm9yIFdvcmsxDzANBgNVBAMMBkdvb2dsZTAeFw0yMzA1MDIx
NzMxMDlaFw0yODA0MzAxNzMxMDlaMHsxCzAJBgNVBAYTAlVTMRMwEQYDVQQIDApDYWxpZm9ybmlh
MRYwFAYDVQQHDA1Nb3VudGFpbiBWaWV3MRQwEgYDVQQKDAtHb29nbGUgSW5jLjEYMBYGA1UECwwP
R29vZ2xlIEZvciBXb3JrMQ8wDQYDVQQDDAZHb29nbGUwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw
ggEKAoIBAQC/zjehMEcULQxURl3qHQQOKiQCQAK4LoIr02MMkoEWLNQBF2xJ0bgpleO2s0zU97/C
Gqzmi1iaP4K8yMBcYcZK3k9wdxVxw+LdrwBaxum9I1Z1w886Pe2dSshQ9itghfFJjpt91JQlv1o0
Asn6s2JGSFIJ/xR/qYF/k+s1ZaUMfoTvmE6LTdlwC+CaWT6Y/gzvXI/0LnwkCQHEysrGqcuz+dbh
8a3laEDZeuDJlFwZfFSiEXZxUkSHcQG90cWOTVAL2tdd8tnWd/xpNtAcjUe2gv5rrTwMtLqA4sgm
s0MKhaq7AE1zISaK1QFAYhpzD61j38sJ81DOenVyG1iXhLtlAgMBAAEwDQYJKoZIhvcNAQELBQAD
ggEBAJ8XG/G9PIk1wyiTOfh6VjZa4jGtEvl0GdndI3z4RwI7wqInFrjiXFrAZmfce6JaoAmn0IB4
yX8iVvcjW6JINHuH4KJr/l94KrRaG9v4HQYpRY9s/ulm/XzBDgzhY7ljzvdhZLWTR6utjyqV2uME
XVNFJn6ZXiv1gjElRpan6ntTA7HsfW+/UoHYWvjbaL5hVWlICWugV8H0ONHlX3XGB2+jwIkEPOau
Q5Nr7lFO7eoBZ26kRRBBiyi0whtNO7bd/kIuCBjyZf1HvJNDaJCKFi8bqe3QsM0uCkON2MHWUtce
o9a6BgNdgXEbYX+NxDxpCJRad70QQkStIweWb3Mh9R0=</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://accounts.google.com/o/saml2/idp?idpid=C03xk8q2n"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://accounts.google.com/o/saml2/idp?idpid=C03xk8q2n"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;

/** When the metadata above stops being valid (its `validUntil`), which IAM reports as the provider's `ValidUntil`. */
export const GOOGLE_WORKSPACE_VALID_UNTIL = new Date('2028-04-30T17:31:09Z');
