// A throwaway self-signed certificate for loopback TLS tests, made with the
// OpenSSL C API (as tests/stratum/client_tls_test.cpp does for the pool).
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>

#include "protocol/job.h"

namespace synthminer::solo::testing {

struct TestCert {
  std::string cert_pem;
  std::string key_pem;
  protocol::Hash256 fingerprint{};  ///< SHA-256 of the DER certificate
};

/// A P-256 key and a self-signed certificate for CN and DNS name "localhost".
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
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost");
  const bool ok =
      san != nullptr && X509_add_ext(cert, san, -1) == 1 && X509_sign(cert, key, EVP_sha256()) != 0;
  X509_EXTENSION_free(san);
  if (!ok) throw std::runtime_error("OpenSSL: cannot make the test certificate");
  auto pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string text(data, static_cast<size_t>(n));
    BIO_free(bio);
    return text;
  };
  out.cert_pem = pem([&](BIO* b) { PEM_write_bio_X509(b, cert); });
  out.key_pem =
      pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), out.fingerprint.data(), &len);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace synthminer::solo::testing
