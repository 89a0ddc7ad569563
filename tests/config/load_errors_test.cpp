#include <gtest/gtest.h>

#include <string>

#include "config/load.h"
#include "config_test_util.h"

namespace synthminer::config {
namespace {

using test::doc;
using test::doc_with_pool;

struct BadCase {
  const char* name;
  std::string text;
  std::string path;    ///< the JSON pointer the error must name
  std::string reason;  ///< a part of the reason
};

constexpr const char* kUrl = R"("url": "stratum+tcp://h:1")";
constexpr const char* kUser = R"("user": "u")";
constexpr const char* kTlsUrl = R"("url": "stratum+ssl://h:1", "user": "u")";

std::string pool(const std::string& extra) {
  return doc_with_pool(std::string(kUrl) + ", " + kUser + ", " + extra);
}

std::string tls_pool(const std::string& tls) {
  return doc_with_pool(std::string(kTlsUrl) + R"(, "tls": {)" + tls + "}");
}

const std::vector<BadCase>& bad_cases() {
  static const std::vector<BadCase> cases = {
      // document and pools
      {"NotAnObject", "[1]", "/", "must be an object"},
      {"NoPools", "{}", "/pools", "is required"},
      {"EmptyPools", R"({"pools": []})", "/pools", "at least one pool"},
      {"PoolsNotList", R"({"pools": {}})", "/pools", "at least one pool"},
      {"PoolNotObject", R"({"pools": [3]})", "/pools/0", "must be an object"},
      {"NoUrl", doc_with_pool(kUser), "/pools/0/url", "is required"},
      {"UrlNotString", doc_with_pool(R"("url": 5, "user": "u")"), "/pools/0/url",
       "must be a string"},
      {"UrlScheme", doc_with_pool(R"("url": "ftp://h:1", "user": "u")"), "/pools/0/url",
       "must start with stratum+tcp://, stratum+ssl:// or stratum+tls://"},
      // a node (solo mining)
      {"NodeWithoutAddress",
       doc_with_pool(R"("url": "http://127.0.0.1:18443", "user": "u", "password": "p")"),
       "/pools/0/coinbase_address", "is required"},
      {"NodeWithoutCredentials",
       doc_with_pool(R"("url": "http://127.0.0.1:18443", "coinbase_address": "bcrt1q")"),
       "/pools/0/user", "user and password (rpcauth), or cookie_file"},
      {"NodeUserWithoutPassword",
       doc_with_pool(
           R"("url": "http://127.0.0.1:18443", "user": "u", "coinbase_address": "bcrt1q")"),
       "/pools/0/user", "or cookie_file"},
      {"NodeCookieAndUser",
       doc_with_pool(
           R"("url": "http://h:1", "user": "u", "cookie_file": "/c", "coinbase_address": "a")"),
       "/pools/0/cookie_file", "not both"},
      {"NodeWithStratumKey",
       doc_with_pool(
           R"("url": "http://h:1", "cookie_file": "/c", "coinbase_address": "a", "version_rolling": true)"),
       "/pools/0/version_rolling", "is Stratum's"},
      {"NodeRefreshTooShort",
       doc_with_pool(
           R"("url": "http://h:1", "cookie_file": "/c", "coinbase_address": "a", "template_refresh_seconds": 0.5)"),
       "/pools/0/template_refresh_seconds", ""},
      {"PoolWithNodeKey", pool(R"("coinbase_address": "bc1q")"), "/pools/0/coinbase_address",
       "only for a node"},
      {"UrlNoPort", doc_with_pool(R"("url": "stratum+tcp://h", "user": "u")"), "/pools/0/url",
       "host:port"},
      {"UrlPortZero", doc_with_pool(R"("url": "stratum+tcp://h:0", "user": "u")"), "/pools/0/url",
       "port must be 1..65535"},
      {"UrlPortHigh", doc_with_pool(R"("url": "stratum+tcp://h:65536", "user": "u")"),
       "/pools/0/url", "port must be 1..65535"},
      {"UrlPath", doc_with_pool(R"("url": "stratum+tcp://h:1/x", "user": "u")"), "/pools/0/url",
       "port must be"},
      {"UrlBadHost", doc_with_pool(R"("url": "stratum+tcp://a b:1", "user": "u")"), "/pools/0/url",
       "bad host"},
      {"NoUser", doc_with_pool(kUrl), "/pools/0/user", "is required"},
      {"EmptyUser", doc_with_pool(std::string(kUrl) + R"(, "user": "")"), "/pools/0/user",
       "non-empty"},
      {"SecondPool",
       std::string(R"({"pools": [)") + test::kPool + R"(, {"url": "x", "user": "u"}]})",
       "/pools/1/url", "must start with"},
      {"Password", pool(R"("password": 1)"), "/pools/0/password", "must be a string"},
      {"EmptyName", pool(R"("name": "")"), "/pools/0/name", "must not be empty"},
      {"VersionRolling", pool(R"("version_rolling": "yes")"), "/pools/0/version_rolling",
       "must be true or false"},
      {"VersionMaskShort", pool(R"("version_mask": "1fffe")"), "/pools/0/version_mask",
       "8 hex digits"},
      {"VersionMaskNotHex", pool(R"("version_mask": "1fffe00g")"), "/pools/0/version_mask",
       "8 hex digits"},
      {"VersionMaskNumber", pool(R"("version_mask": 536862720)"), "/pools/0/version_mask",
       "8 hex digits"},
      {"Extranonce", pool(R"("extranonce_subscribe": 1)"), "/pools/0/extranonce_subscribe",
       "true or false"},
      {"SuggestZero", pool(R"("suggest_difficulty": 0)"), "/pools/0/suggest_difficulty",
       "must be an integer 1.."},
      {"SuggestNegative", pool(R"("suggest_difficulty": -5)"), "/pools/0/suggest_difficulty",
       "must be an integer"},
      {"SuggestFraction", pool(R"("suggest_difficulty": 0.5)"), "/pools/0/suggest_difficulty",
       "must be an integer"},
      {"AllowReconnect", pool(R"("allow_reconnect_other_host": null)"),
       "/pools/0/allow_reconnect_other_host", "true or false"},
      // tls
      {"TlsNotObject", doc_with_pool(std::string(kTlsUrl) + R"(, "tls": true)"), "/pools/0/tls",
       "must be an object"},
      {"TlsOnTcp", pool(R"("tls": {"insecure": true})"), "/pools/0/tls", "only for stratum+ssl"},
      {"TlsInsecure", tls_pool(R"("insecure": "no")"), "/pools/0/tls/insecure", "true or false"},
      {"Fingerprint", tls_pool(R"("fingerprint_sha256": "abcd")"),
       "/pools/0/tls/fingerprint_sha256", "64 hex digits"},
      {"CaFileEmpty", tls_pool(R"("ca_file": "")"), "/pools/0/tls/ca_file", "must not be empty"},
      // stratum
      {"ConnectTimeoutZero", doc(R"("stratum": {"connect_timeout_seconds": 0})"),
       "/stratum/connect_timeout_seconds", "must be a number > 0"},
      {"RequestTimeoutString", doc(R"("stratum": {"request_timeout_seconds": "30"})"),
       "/stratum/request_timeout_seconds", "must be a number"},
      {"WatchdogHuge", doc(R"("stratum": {"job_watchdog_seconds": 1e9})"),
       "/stratum/job_watchdog_seconds", "<= 86400"},
      {"MaxLineSmall", doc(R"("stratum": {"max_line_bytes": 10})"), "/stratum/max_line_bytes",
       "must be an integer 1024..16777216"},
      {"WriteQueueSmall", doc(R"("stratum": {"max_write_queue_bytes": 100})"),
       "/stratum/max_write_queue_bytes", "must be an integer 4096..1073741824"},
      {"OfflineQueue", doc(R"("stratum": {"offline_queue_limit": -1})"),
       "/stratum/offline_queue_limit", "must be an integer 0.."},
      {"BackoffOrder",
       doc(R"("stratum": {"backoff_initial_seconds": 10, "backoff_max_seconds": 5})"),
       "/stratum/backoff_max_seconds", ">= backoff_initial_seconds"},
      {"Multiplier", doc(R"("stratum": {"backoff_multiplier": 0.5})"),
       "/stratum/backoff_multiplier", ">= 1"},
      {"Jitter", doc(R"("stratum": {"backoff_jitter": 1.5})"), "/stratum/backoff_jitter", "<= 1"},
      {"Failover", doc(R"("stratum": {"failover_after_failures": 0})"),
       "/stratum/failover_after_failures", "must be an integer 1..1000"},
      {"UserAgent", doc(R"("stratum": {"user_agent": []})"), "/stratum/user_agent",
       "must be a string"},
      // devices
      {"DevicesNotObject", doc(R"("devices": [])"), "/devices", "must be an object"},
      {"CpuEnabled", doc(R"("devices": {"cpu": {"enabled": 1}})"), "/devices/cpu/enabled",
       "true or false"},
      {"Threads", doc(R"("devices": {"cpu": {"threads": 2000}})"), "/devices/cpu/threads",
       "must be an integer 0..1024"},
      {"ThreadsFraction", doc(R"("devices": {"cpu": {"threads": 1.5}})"), "/devices/cpu/threads",
       "must be an integer 0..1024"},
      {"AffinityNotList", doc(R"("devices": {"cpu": {"affinity": 3}})"), "/devices/cpu/affinity",
       "must be a list"},
      {"AffinityItem", doc(R"("devices": {"cpu": {"affinity": [0, "1"]}})"),
       "/devices/cpu/affinity/1", "must be an integer 0..4095"},
      {"AffinityDuplicate", doc(R"("devices": {"cpu": {"affinity": [2, 2]}})"),
       "/devices/cpu/affinity/1", "duplicate"},
      {"CudaRollsRange", doc(R"("devices": {"cuda": {"rolls_per_thread": 16}})"),
       "/devices/cuda/rolls_per_thread", "must be an integer 1..8"},
      {"CudaKernel", doc(R"("devices": {"cuda": {"kernel": "fast"}})"), "/devices/cuda/kernel",
       "must look like"},
      {"CudaKernelSuffix", doc(R"("devices": {"cuda": {"kernel": "t256x16-fma"}})"),
       "/devices/cuda/kernel", "must look like"},
      {"CudaRollsPowerOfTwo", doc(R"("devices": {"cuda": {"rolls_per_thread": 3}})"),
       "/devices/cuda/rolls_per_thread", "must be 1, 2, 4 or 8"},
      {"Backend", doc(R"("devices": {"cpu": {"backend": "sse4"}})"), "/devices/cpu/backend",
       R"(must be one of "auto", "scalar", "avx2", "avx512", "shani")"},
      {"CudaDevices", doc(R"("devices": {"cuda": {"devices": [64]}})"), "/devices/cuda/devices/0",
       "must be an integer 0..63"},
      // scheduler
      {"CpuTarget", doc(R"("scheduler": {"cpu_batch_target_ms": 0})"),
       "/scheduler/cpu_batch_target_ms", "must be an integer 1..60000"},
      {"GpuTarget", doc(R"("scheduler": {"gpu_batch_target_ms": 60001})"),
       "/scheduler/gpu_batch_target_ms", "must be an integer 1..60000"},
      {"HwThreshold", doc(R"("scheduler": {"hardware_error_threshold": 0})"),
       "/scheduler/hardware_error_threshold", "> 0"},
      {"StallFactor", doc(R"("scheduler": {"stall_factor": 1})"), "/scheduler/stall_factor", "> 1"},
      // logging, metrics, api
      {"Level", doc(R"("logging": {"level": "verbose"})"), "/logging/level", "must be one of"},
      {"LevelCase", doc(R"("logging": {"level": "INFO"})"), "/logging/level", "must be one of"},
      {"MetricsListenNoPort", doc(R"("metrics": {"listen": "127.0.0.1"})"), "/metrics/listen",
       "host:port"},
      {"MetricsListenPort", doc(R"("metrics": {"listen": "127.0.0.1:99999"})"), "/metrics/listen",
       "port must be 0..65535"},
      {"MetricsBeyondLoopback", doc(R"("metrics": {"listen": "0.0.0.0:9464"})"), "/metrics/listen",
       "needs a token"},
      {"MetricsEnabled", doc(R"("metrics": {"enabled": "true"})"), "/metrics/enabled",
       "true or false"},
      {"ApiListenEmptyHost", doc(R"("api": {"listen": ":4048"})"), "/api/listen", "bad host"},
      {"ApiListenBadV6", doc(R"("api": {"listen": "[zz]:4048"})"), "/api/listen", "IPv6"},
      {"ApiTokenShort", doc(R"("api": {"token": "short"})"), "/api/token", "at least 16"},
      {"ApiRate", doc(R"("api": {"rate_limit_per_second": -1})"), "/api/rate_limit_per_second",
       "must be"},
      {"ApiBurst", doc(R"("api": {"rate_limit_burst": 0})"), "/api/rate_limit_burst", "must be"},
      {"ApiHeaderTimeout", doc(R"("api": {"header_timeout_seconds": 0})"),
       "/api/header_timeout_seconds", "must be a number > 0"},
      {"MetricsBindRetryZero", doc(R"("metrics": {"bind_retry_seconds": 0})"),
       "/metrics/bind_retry_seconds", "must be a number > 0"},
      {"ApiBindRetryTooLong", doc(R"("api": {"bind_retry_seconds": 4000})"),
       "/api/bind_retry_seconds", "3600"},
      {"ApiSlotsPerAddress", doc(R"("api": {"max_connections_per_address": 65})"),
       "/api/max_connections_per_address", "must be an integer 1..64"},
      {"ApiBusyPollTooLong", doc(R"("api": {"busy_poll_us": 10001})"), "/api/busy_poll_us",
       "must be an integer 0..10000"},
      {"ApiBusyPollNegative", doc(R"("api": {"busy_poll_us": -1})"), "/api/busy_poll_us",
       "must be an integer 0..10000"},
      {"ApiTokenType", doc(R"("api": {"token": 12})"), "/api/token", "must be a string"},
      {"VgpuProfile", doc(R"("vgpu": {"profile": "ludicrous"})"), "/vgpu/profile",
       "must be one of \"default\", \"extreme\""},
      {"VgpuTensorCountZero", doc(R"("vgpu": {"tensor_store_max_tensors": 0})"),
       "/vgpu/tensor_store_max_tensors", "must be an integer 1..10000000"},
      {"VgpuQubitsZero", doc(R"("vgpu": {"max_qubits": 0})"), "/vgpu/max_qubits", "1..40"},
      {"VgpuQubitsHuge", doc(R"("vgpu": {"max_qubits": 64})"), "/vgpu/max_qubits", "1..40"},
      {"VgpuStateBytes", doc(R"("vgpu": {"max_state_bytes": 10})"), "/vgpu/max_state_bytes",
       "must be"},
      {"VgpuQueue", doc(R"("vgpu": {"max_queued": 0})"), "/vgpu/max_queued", "must be"},
      {"VgpuGpus", doc(R"("vgpu": {"gpus": 1})"), "/vgpu/gpus", "true or false"},
      {"VgpuShareZero", doc(R"("vgpu": {"max_share": 0})"), "/vgpu/max_share",
       "must be a number > 0"},
      {"VgpuShareOverOne", doc(R"("vgpu": {"max_share": 1.5})"), "/vgpu/max_share", "1"},
      {"VgpuShareText", doc(R"("vgpu": {"max_share": "half"})"), "/vgpu/max_share", "number"},
      {"VgpuCacheFileRelative", doc(R"("vgpu": {"cache_file": "cache.sqlite"})"),
       "/vgpu/cache_file", "absolute path"},
      {"VgpuCacheFileNotText", doc(R"("vgpu": {"cache_file": 1})"), "/vgpu/cache_file", "string"},
      {"VgpuCacheFileTiny", doc(R"("vgpu": {"cache_file_max_bytes": 1000})"),
       "/vgpu/cache_file_max_bytes", "must be"},
      {"VgpuUnknown", doc(R"("vgpu": {"cache_size": 1})"), "/vgpu/cache_size", "unknown key"},
      // comments
      {"CommentNotString", doc(R"("_comment": 1)"), "/_comment", "must be a string"},
  };
  return cases;
}

class BadValue : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadValue, NamesThePathAndTheReason) {
  const BadCase& c = GetParam();
  const auto config = parse_config(c.text);
  ASSERT_FALSE(config.ok()) << c.text;
  EXPECT_EQ(config.error().path, c.path) << config.error().message();
  EXPECT_NE(config.error().reason.find(c.reason), std::string::npos) << config.error().message();
  EXPECT_EQ(config.error().message(), c.path + ": " + config.error().reason);
}

INSTANTIATE_TEST_SUITE_P(Config, BadValue, ::testing::ValuesIn(bad_cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ConfigErrors, UrlMessageReadsAsDocumented) {
  const auto config = parse_config(doc_with_pool(R"("url": "tcp://h:1", "user": "u")"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message(),
            "/pools/0/url: must start with stratum+tcp://, stratum+ssl:// or stratum+tls:// (a "
            "pool), or http:// or https:// (a node, for solo mining)");
}

TEST(ConfigErrors, AUrlWithUserInfoIsRefusedWithoutEchoingThePassword) {
  for (const char* url :
       {"stratum+tcp://worker:hunter2secret@pool:3333", "stratum+ssl://hunter2secret@pool:3333",
        "stratum+tcp://hunter2 secret:3333"}) {
    const auto config =
        parse_config(doc_with_pool(std::string(R"("url": ")") + url + R"(", "user": "u")"));
    ASSERT_FALSE(config.ok()) << url;
    EXPECT_EQ(config.error().path, "/pools/0/url");
    EXPECT_EQ(config.error().message().find("hunter2"), std::string::npos)
        << config.error().message();
  }
  const auto user_info = parse_config(
      doc_with_pool(R"("url": "stratum+tcp://w:hunter2secret@pool:3333", "user": "u")"));
  EXPECT_NE(user_info.error().reason.find("user info"), std::string::npos)
      << user_info.error().reason;
}

TEST(ConfigErrors, KeysInAPathAreMadePrintable) {
  // A key with a newline would otherwise start a new line in the journal,
  // or a new assignment in the systemd STATUS message.
  const auto config = parse_config(doc(R"("x\nREADY=1": 1)"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().path, "/x\\nREADY=1");
}

struct UnknownCase {
  const char* name;
  std::string text;
  std::string path;
};

class UnknownKey : public ::testing::TestWithParam<UnknownCase> {};

TEST_P(UnknownKey, IsRefusedWithItsPath) {
  const auto config = parse_config(GetParam().text);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message(), GetParam().path + ": unknown key");
}

INSTANTIATE_TEST_SUITE_P(
    Config, UnknownKey,
    ::testing::ValuesIn(std::vector<UnknownCase>{
        {"TopLevel", doc(R"("pool": [])"), "/pool"},
        {"SecondPool",
         std::string(R"({"pools": [)") + test::kPool + ", " +
             R"({"url": "stratum+tcp://h:2", "user": "u", "frobnicate": 1}]})",
         "/pools/1/frobnicate"},
        {"Tls", doc_with_pool(std::string(kTlsUrl) + R"(, "tls": {"verify": false})"),
         "/pools/0/tls/verify"},
        {"Stratum", doc(R"("stratum": {"timeout": 1})"), "/stratum/timeout"},
        {"Devices", doc(R"("devices": {"gpu": {}})"), "/devices/gpu"},
        {"Cpu", doc(R"("devices": {"cpu": {"thread": 2}})"), "/devices/cpu/thread"},
        {"Cuda", doc(R"("devices": {"cuda": {"device": [0]}})"), "/devices/cuda/device"},
        {"Scheduler", doc(R"("scheduler": {"x": 1})"), "/scheduler/x"},
        {"Logging", doc(R"("logging": {"file": "/tmp/x"})"), "/logging/file"},
        {"Metrics", doc(R"("metrics": {"port": 1})"), "/metrics/port"},
        {"Api", doc(R"("api": {"password": "x"})"), "/api/password"},
        {"EscapedSlash", doc(R"("a/b~c": 1)"), "/a~1b~0c"},
    }),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ConfigApiToken, NonLoopbackListenerWithoutTokenIsRefused) {
  for (const char* listen : {"0.0.0.0:4048", "192.168.1.5:4048", "[::]:4048", "example.com:80"}) {
    const auto config = parse_config(doc(std::string(R"("api": {"listen": ")") + listen + "\"}"));
    ASSERT_FALSE(config.ok()) << listen;
    EXPECT_EQ(config.error().path, "/api/listen");
    EXPECT_NE(config.error().reason.find("a listener beyond loopback needs a token"),
              std::string::npos);
  }
}

TEST(ConfigApiToken, NonLoopbackListenerWithTokenIsAccepted) {
  const auto config =
      parse_config(doc(R"("api": {"listen": "0.0.0.0:4048", "token": "abcdefghijklmnopq"})"));
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->api.token, "abcdefghijklmnopq");
}

TEST(ConfigApiToken, LoopbackListenersNeedNoToken) {
  for (const char* listen : {"127.0.0.1:1", "127.8.9.10:4048", "localhost:4048", "[::1]:4048"}) {
    const auto config = parse_config(doc(std::string(R"("api": {"listen": ")") + listen + "\"}"));
    EXPECT_TRUE(config.ok()) << listen << ": " << config.error().message();
  }
}

TEST(ConfigSyntax, ErrorsReportTheByteOffset) {
  const auto config = parse_config(R"({"pools": [}")");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().path, "");
  EXPECT_NE(config.error().reason.find("JSON syntax error at byte 12"), std::string::npos)
      << config.error().reason;
}

TEST(ConfigSyntax, NestingDeeperThan64LevelsIsRefused) {
  const auto config =
      parse_config(doc(R"("_deep": )" + std::string(100000, '[') + std::string(100000, ']')));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().reason.find("deeper than 64"), std::string::npos)
      << config.error().reason;
}

TEST(ConfigSyntax, ASyntaxErrorInsideASecretDoesNotEchoIt) {
  // A raw tab, a bad escape and a missing quote inside the password: the
  // parser's "last read" text would hold the secret.
  const std::string head = R"({"pools": [{"url": "stratum+tcp://h:1", "user": "u", "password": ")";
  for (const std::string& tail :
       {std::string("hunter2\tsecret\"}]}"), std::string("hunter2\\qsecret\"}]}"),
        std::string("hunter2secret}]}")}) {
    const auto config = parse_config(head + tail);
    ASSERT_FALSE(config.ok()) << tail;
    const std::string& reason = config.error().reason;
    EXPECT_EQ(reason.find("hunter2"), std::string::npos) << reason;
    EXPECT_NE(reason.find("line 1, column"), std::string::npos) << reason;
  }
}

TEST(ConfigSyntax, ANumberTooLargeForADoubleIsAnErrorNotACrash) {
  // Found by config_fuzz: nlohmann throws out_of_range (not parse_error) for
  // it, which went uncaught and ended the daemon on start or SIGHUP.
  for (const char* number : {"1E999", "-88888888E888888", "1e400"}) {
    const auto config =
        parse_config(doc(std::string(R"("scheduler": {"stall_factor": )") + number + "}"));
    ASSERT_FALSE(config.ok()) << number;
    EXPECT_EQ(config.error().reason, "JSON syntax error: a number is too large for a double");
  }
}

TEST(ConfigPools, TheDemoMayLeavePoolsOutButNotGetThemWrong) {
  const LoadOptions demo{/*pools_required=*/false};
  const auto none = parse_config(R"({"logging": {"level": "debug"}})", demo);
  ASSERT_TRUE(none.ok()) << none.error().message();
  EXPECT_TRUE(none->pools.empty());
  EXPECT_EQ(none->logging.level, LogLevel::kDebug);
  const auto empty = parse_config(R"({"pools": []})", demo);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().path, "/pools");
  const auto bad = parse_config(R"({"pools": [{"url": "stratum+tcp://h:1"}]})", demo);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().path, "/pools/0/user");
  EXPECT_FALSE(parse_config(R"({"logging": {"level": "debug"}})").ok());  // the daemon needs them
}

TEST(ConfigSyntax, EmptyTextIsASyntaxError) {
  const auto config = parse_config("");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().reason.find("JSON syntax error at byte"), std::string::npos);
}

}  // namespace
}  // namespace synthminer::config
