// A throwaway self-signed certificate for loopback TLS tests (a pool's or a
// node's), made with the OpenSSL C API: a P-256 key, CN and subjectAltName
// "localhost", usable as its own CA.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>

#include "protocol/job.h"

namespace synthminer::stratum::testing {

struct TestCert {
  std::string cert_pem;
  std::string key_pem;
  protocol::Hash256 fingerprint{};  ///< SHA-256 of the DER certificate
};

inline std::string bio_string(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

inline bool add_ext(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

/// A P-256 key and a self-signed certificate, CN and subjectAltName "localhost".
inline TestCert make_self_signed() {
  TestCert out;
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  if (key == nullptr || cert == nullptr) throw std::runtime_error("OpenSSL: out of memory");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  const bool ext_ok = add_ext(cert, NID_subject_alt_name, "DNS:localhost") &&
                      add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") &&
                      add_ext(cert, NID_key_usage, "critical,digitalSignature,keyCertSign");
  if (!ext_ok || X509_sign(cert, key, EVP_sha256()) == 0) {
    throw std::runtime_error("OpenSSL: cannot make the test certificate");
  }
  BIO* cbio = BIO_new(BIO_s_mem());
  BIO* kbio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(cbio, cert);
  PEM_write_bio_PrivateKey(kbio, key, nullptr, nullptr, 0, nullptr, nullptr);
  out.cert_pem = bio_string(cbio);
  out.key_pem = bio_string(kbio);
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), out.fingerprint.data(), &len);
  BIO_free(cbio);
  BIO_free(kbio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace synthminer::stratum::testing
