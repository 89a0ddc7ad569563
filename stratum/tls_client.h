// The TLS trust rules of every client we run: the pool connections and the
// node's RPC client trust a peer the same way, from the same settings.
//
// With a pinned SHA-256 of the leaf certificate, the pin alone decides (it
// replaces the chain and host-name checks, as XMRig's --tls-fingerprint
// does, so a self-signed peer needs no tls.insecure); without one, the
// peer's chain is verified against the system store (or tls.ca_file) and its
// name against the host (SNI is sent for names), unless tls.insecure, which
// checks nothing at all.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/job.h"
#include "stratum/result.h"

namespace synthminer::stratum {

namespace asio = boost::asio;

struct TlsSettings {
  bool enabled = false;
  bool insecure = false;  ///< without a pin: check nothing at all
  std::optional<protocol::Hash256>
      pin;              ///< SHA-256 of the leaf certificate (DER); replaces the chain check
  std::string ca_file;  ///< PEM CA bundle; "" means the system store
};

/// What makes a connection trust its peer.
enum class TlsTrust {
  kNone,      ///< plain TCP
  kChain,     ///< a chain to a trusted CA, and the host name
  kPin,       ///< the leaf certificate matches the pin
  kInsecure,  ///< nothing: tls.insecure without a pin
};
/// For the log: "verified chain", "trusted by pin", "NOT verified (tls.insecure)".
const char* to_string(TlsTrust trust);

/// Which rule `tls` makes a connection follow.
TlsTrust tls_trust(const TlsSettings& tls);

using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;

/// A client context (TLS 1.2 and later) for `tls`: the chain checked against
/// the system store or tls.ca_file for kChain, nothing during the handshake
/// otherwise (a pin is judged afterwards, by tls_pin_mismatch).
Result<std::unique_ptr<asio::ssl::context>> make_tls_client_context(const TlsSettings& tls);

/// Prepares a stream made on that context to connect to `host`: SNI for a
/// name (never for an address literal) and, for kChain, the chain and
/// host-name checks. Why a check refused the peer is written to
/// `*verify_error`, which must outlive the handshake.
Result<bool> prepare_tls_client(TlsStream& stream, const TlsSettings& tls, const std::string& host,
                                std::string* verify_error);

/// After the handshake: "" when `tls` has no pin or the peer's leaf
/// certificate matches it, else why not. `peer` names it ("pool", "node").
std::string tls_pin_mismatch(TlsStream& stream, const TlsSettings& tls, std::string_view peer);

}  // namespace synthminer::stratum
