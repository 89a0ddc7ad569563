#include "telemetry/exposer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <exception>
#include <thread>

#include "telemetry/prometheus_render.h"

namespace synthminer::telemetry {

namespace {

/// Renders the registry on each scrape.
class RegistryCollector final : public prometheus::Collectable {
 public:
  explicit RegistryCollector(std::shared_ptr<const Registry> registry)
      : registry_(std::move(registry)) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    return render_prometheus(registry_->snapshot());
  }

 private:
  std::shared_ptr<const Registry> registry_;
};

bool numeric_host(const std::string& host, bool ipv6) {
  unsigned char buf[16];
  return inet_pton(ipv6 ? AF_INET6 : AF_INET, host.c_str(), buf) == 1;
}

/// Connects to `address` and closes at once; errors are ignored.
void poke(const ListenAddress& address) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (address.ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(address.port);
    inet_pton(AF_INET6, address.host.c_str(), &a->sin6_addr);
    length = sizeof(sockaddr_in6);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_port = htons(address.port);
    inet_pton(AF_INET, address.host.c_str(), &a->sin_addr);
    length = sizeof(sockaddr_in);
  }
  const int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  (void)connect(fd, reinterpret_cast<const sockaddr*>(&storage), length);
  close(fd);
}

}  // namespace

struct MetricsExposer::Password {
  std::mutex mu;
  std::string value;

  /// Compared in constant time: a scraper's guess learns nothing from timing.
  bool matches(const std::string& given) {
    std::lock_guard lock(mu);
    if (value.empty()) return false;
    unsigned char differ = given.size() != value.size() ? 1 : 0;
    for (size_t i = 0; i < given.size(); ++i)
      differ |= static_cast<unsigned char>(given[i] ^ value[i % value.size()]);
    return differ == 0;
  }
};

std::string ListenAddress::to_string() const {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "[" + host.
  std::string out;
  if (ipv6) out.push_back('[');
  out.append(host);
  if (ipv6) out.push_back(']');
  out.push_back(':');
  out.append(std::to_string(port));
  return out;
}

Result<ListenAddress> parse_listen_address(std::string_view text) {
  std::string quoted(1, '\'');
  quoted.append(text).push_back('\'');
  ListenAddress out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Error{"listen address " + quoted + " is not [IPv6]:port"};
    }
    out.host = std::string(text.substr(1, close - 1));
    out.ipv6 = true;
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Error{"listen address " + quoted + " is not host:port"};
    }
    out.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (!numeric_host(out.host, out.ipv6)) {
    return Error{"listen address " + quoted + ": host must be a numeric " +
                 (out.ipv6 ? "IPv6" : "IPv4") + " address"};
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return Error{"listen address " + quoted + ": port must be 0-65535"};
  }
  out.port = static_cast<uint16_t>(port);
  return out;
}

MetricsExposer::MetricsExposer(ListenAddress bound, std::unique_ptr<prometheus::Exposer> exposer,
                               std::shared_ptr<prometheus::Collectable> collector,
                               std::shared_ptr<Password> password)
    : bound_(std::move(bound)),
      exposer_(std::move(exposer)),
      collector_(std::move(collector)),
      password_(std::move(password)) {}

MetricsExposer::~MetricsExposer() {
  stop();
}

Result<std::unique_ptr<MetricsExposer>> MetricsExposer::start(
    const ExposerOptions& options, std::shared_ptr<const Registry> registry) {
  auto address = parse_listen_address(options.listen);
  if (!address) return Error{"metrics: " + address.error()};
  if (!registry) return Error{"metrics: no registry to serve"};
  // Debian's civetweb binds no bracketed IPv6 address; its "+port" form
  // listens on every IPv4 and IPv6 address, which is what [::] asks for.
  std::string civet_ports = address->to_string();
  if (address->ipv6) {
    if (address->host != "::") {
      return Error{"metrics: cannot listen on " + address->to_string() +
                   ": of IPv6 addresses only [::] (all addresses) is supported; use "
                   "127.0.0.1 for loopback"};
    }
    civet_ports.assign(1, '+').append(std::to_string(address->port));
  }
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer =
        std::make_unique<prometheus::Exposer>(civet_ports, std::max<size_t>(options.threads, 1));
  } catch (const std::exception& e) {
    return Error{"metrics: cannot listen on " + address->to_string() + ": " + e.what()};
  }
  ListenAddress bound = *address;
  const std::vector<int> ports = exposer->GetListeningPorts();
  if (ports.empty()) return Error{"metrics: cannot listen on " + address->to_string()};
  bound.port = static_cast<uint16_t>(ports.front());
  std::shared_ptr<Password> password;
  if (options.password) {
    // Held apart from the callback so that a reload can rotate it.
    password = std::make_shared<Password>();
    password->value = *options.password;
    exposer->RegisterAuth([password](const std::string&,
                                     const std::string& given) { return password->matches(given); },
                          "synthminer");
  }
  auto collector = std::make_shared<RegistryCollector>(std::move(registry));
  exposer->RegisterCollectable(collector);
  return std::unique_ptr<MetricsExposer>(new MetricsExposer(
      std::move(bound), std::move(exposer), std::move(collector), std::move(password)));
}

std::string MetricsExposer::address() const {
  return bound_.to_string();
}

void MetricsExposer::add_collectable(const std::weak_ptr<prometheus::Collectable>& collectable) {
  std::lock_guard lock(mu_);
  if (exposer_) exposer_->RegisterCollectable(collectable);
}

void MetricsExposer::set_password(std::string password) {
  if (!password_) return;
  std::lock_guard lock(password_->mu);
  password_->value = std::move(password);
}

void MetricsExposer::stop() {
  std::lock_guard lock(mu_);
  if (!exposer_) return;
  // civetweb's listener thread notices the stop flag only when its poll()
  // returns, which without traffic takes its 2 s quantum. Connecting to it
  // while it stops wakes it at once; a wildcard bind (IPv4, or [::] which
  // civetweb serves with an IPv4 socket too) is reached on IPv4 loopback.
  ListenAddress target = bound_;
  if (target.host == "0.0.0.0" || target.host == "::") target = {"127.0.0.1", bound_.port, false};
  std::atomic<bool> stopped{false};
  std::thread waker([&] {
    while (!stopped.load()) {
      poke(target);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  exposer_.reset();
  stopped = true;
  waker.join();
}

}  // namespace synthminer::telemetry
