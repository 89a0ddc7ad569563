#include "stratum/tls_client.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "protocol/hex.h"

namespace synthminer::stratum {

using boost::system::error_code;

const char* to_string(TlsTrust trust) {
  switch (trust) {
    case TlsTrust::kNone:
      return "plain TCP";
    case TlsTrust::kChain:
      return "verified chain";
    case TlsTrust::kPin:
      return "trusted by pin";
    case TlsTrust::kInsecure:
      return "NOT verified (tls.insecure)";
  }
  return "?";
}

TlsTrust tls_trust(const TlsSettings& tls) {
  if (!tls.enabled) return TlsTrust::kNone;
  if (tls.pin) return TlsTrust::kPin;
  return tls.insecure ? TlsTrust::kInsecure : TlsTrust::kChain;
}

Result<std::unique_ptr<asio::ssl::context>> make_tls_client_context(const TlsSettings& tls) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  if (tls_trust(tls) != TlsTrust::kChain) {
    // A pin replaces the chain and host-name checks (XMRig's
    // --tls-fingerprint): tls_pin_mismatch() judges the leaf afterwards.
    ctx->set_verify_mode(asio::ssl::verify_none);
    return ctx;
  }
  ctx->set_verify_mode(asio::ssl::verify_peer);
  error_code ec;
  if (tls.ca_file.empty()) {
    ctx->set_default_verify_paths(ec);
  } else {
    ctx->load_verify_file(tls.ca_file, ec);
  }
  if (ec) return Error{"TLS trust store: " + ec.message()};
  return ctx;
}

Result<bool> prepare_tls_client(TlsStream& stream, const TlsSettings& tls, const std::string& host,
                                std::string* verify_error) {
  if (tls_trust(tls) == TlsTrust::kChain) {
    stream.set_verify_callback([host, verify_error](bool preverified,
                                                    asio::ssl::verify_context& ctx) {
      if (!preverified) {
        const int err = X509_STORE_CTX_get_error(ctx.native_handle());
        *verify_error =
            std::string("certificate verification failed: ") + X509_verify_cert_error_string(err);
        return false;
      }
      if (!asio::ssl::host_name_verification(host)(preverified, ctx)) {
        *verify_error = "certificate does not match host '" + host + "'";
        return false;
      }
      return true;
    });
  }
  // SNI for names only; an address literal must not be sent (RFC 6066).
  error_code ec;
  asio::ip::make_address(host, ec);
  if (ec && !SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
    return Error{"TLS: cannot set the server name"};
  }
  return true;
}

std::string tls_pin_mismatch(TlsStream& stream, const TlsSettings& tls, std::string_view peer) {
  if (!tls.pin) return "";
  X509* cert = SSL_get1_peer_certificate(stream.native_handle());
  if (cert == nullptr) {
    return "TLS: the " + std::string(peer) + " sent no certificate to check the pin against";
  }
  protocol::Hash256 digest{};
  unsigned int len = 0;
  const int ok = X509_digest(cert, EVP_sha256(), digest.data(), &len);
  X509_free(cert);
  if (ok != 1 || len != digest.size() || digest != *tls.pin) {
    return "TLS: certificate fingerprint " + protocol::to_hex(digest) + " does not match the pin";
  }
  return "";
}

}  // namespace synthminer::stratum
