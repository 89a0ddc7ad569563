// The status a vgpu body gets: 400 when it is not JSON, 413 for a limit
// (nesting, a result too large), 422 for JSON that is no valid workload
// (naming the field), 500 for a fault of ours, whose details stay in the log.
#include "vgpu_service/vgpu_request.h"

#include <gtest/gtest.h>

#include <string>

#include "vgpu/adapter_cluster.h"

namespace synthminer::vgpu_service {
namespace {

using nlohmann::json;

VgpuAnswer refusal_of(const std::string& body, bool job = false) {
  auto parsed = job ? parse_vgpu_job(body) : parse_vgpu_submit(body);
  if (auto* answer = std::get_if<VgpuAnswer>(&parsed)) return *answer;
  ADD_FAILURE() << "accepted: " << body;
  return {};
}

std::string error_of(const VgpuAnswer& answer) {
  return answer.body.value("error", "");
}

TEST(VgpuRequest, ABodyThatIsNotJsonIs400WithoutQuotingIt) {
  const VgpuAnswer a = refusal_of(R"({"kind": "linalg", secret-token-123)");
  EXPECT_EQ(a.status, http::Status::bad_request);
  EXPECT_EQ(a.refusal, "not_json");
  EXPECT_EQ(error_of(a), "body: not valid JSON");
}

TEST(VgpuRequest, NestingPastTheLimitIs413) {
  const VgpuAnswer a = refusal_of(std::string(100, '[') + std::string(100, ']'));
  EXPECT_EQ(a.status, http::Status::payload_too_large);
  EXPECT_EQ(a.refusal, "too_deep");
  EXPECT_NE(error_of(a).find("deeper than"), std::string::npos) << error_of(a);
}

TEST(VgpuRequest, JsonThatIsNoWorkloadIs422NamingTheField) {
  const struct {
    const char* body;
    const char* field;
  } cases[] = {
      {R"([1, 2])", "body:"},
      {R"({"payload": {}})", "kind:"},
      {R"({"kind": 7, "payload": {}})", "kind:"},
      {R"({"kind": "linalg", "signature": 1, "payload": {}})", "signature:"},
      {R"({"kind": "linalg", "payload": [1]})", "payload:"},
      {R"({"kind": "linalg", "payload": {}, "extra": 1})", "extra: unknown field"},
      // A deadline belongs to jobs only.
      {R"({"kind": "linalg", "payload": {}, "deadline_ms": 5})", "deadline_ms: unknown field"},
  };
  for (const auto& c : cases) {
    const VgpuAnswer a = refusal_of(c.body);
    EXPECT_EQ(a.status, http::Status::unprocessable_entity) << c.body;
    EXPECT_EQ(a.refusal, "invalid_payload") << c.body;
    EXPECT_EQ(error_of(a).rfind(c.field, 0), 0u) << c.body << " -> " << error_of(a);
  }
}

TEST(VgpuRequest, AJobTakesADeadlineWithinItsBounds) {
  auto parsed = parse_vgpu_job(R"({"kind": "linalg", "payload": {}, "deadline_ms": 1500})");
  ASSERT_TRUE(std::holds_alternative<VgpuRequest>(parsed));
  EXPECT_EQ(std::get<VgpuRequest>(parsed).deadline_ms, 1500u);
  auto defaulted = parse_vgpu_job(R"({"kind": "linalg", "payload": {}})");
  ASSERT_TRUE(std::holds_alternative<VgpuRequest>(defaulted));
  EXPECT_EQ(std::get<VgpuRequest>(defaulted).deadline_ms, kDefaultDeadlineMs);
  for (const char* bad : {"0", "-5", "1.5", "\"10\"", "3600001"}) {
    const VgpuAnswer a = refusal_of(
        std::string(R"({"kind": "linalg", "payload": {}, "deadline_ms": )") + bad + "}", true);
    EXPECT_EQ(a.status, http::Status::unprocessable_entity) << bad;
    EXPECT_EQ(error_of(a).rfind("deadline_ms:", 0), 0u) << error_of(a);
  }
}

TEST(VgpuRequest, EachErrorKindGetsItsStatus) {
  jarvis::SubmitResult invalid;
  invalid.error = "matrix[1]: row has 1 entries, expected 2";
  EXPECT_EQ(vgpu_answer(invalid, "linalg").status, http::Status::unprocessable_entity);
  EXPECT_EQ(error_of(vgpu_answer(invalid, "linalg")), invalid.error);

  jarvis::SubmitResult large = invalid;
  large.error_kind = jarvis::OpError::kResultTooLarge;
  EXPECT_EQ(vgpu_answer(large, "linalg").status, http::Status::payload_too_large);
  EXPECT_EQ(vgpu_answer(large, "linalg").refusal, "result_too_large");

  jarvis::SubmitResult ours = invalid;
  ours.error = "vector::_M_range_check: __n (which is 7) at /home/build/secret.cpp";
  ours.error_kind = jarvis::OpError::kInternal;
  const VgpuAnswer a = vgpu_answer(ours, "linalg");
  EXPECT_EQ(a.status, http::Status::internal_server_error);
  EXPECT_EQ(a.refusal, "internal_error");
  EXPECT_EQ(error_of(a).rfind("internal error: ", 0), 0u) << error_of(a);
  EXPECT_EQ(a.body.dump().find("secret"), std::string::npos) << a.body.dump();

  jarvis::SubmitResult fine;
  fine.ok = true;
  fine.result = {{"value", {1.0}}};
  EXPECT_EQ(vgpu_answer(fine, "linalg").status, http::Status::ok);
  EXPECT_TRUE(vgpu_answer(fine, "linalg").refusal.empty());
}

TEST(VgpuRequest, AWorkloadThatThrowsIs500AndOneThatIsWrongIs422) {
  jarvis::Jarvis5090X layers({jarvis::AdapterCluster::host_cpu()}, {});
  const auto ragged = answer_vgpu_submit(
      layers,
      R"({"kind": "linalg", "payload": {"matrix": [[1, 2], [3]], "vector": [1, 2], "operation": "matvec"}})");
  EXPECT_EQ(ragged.status, http::Status::unprocessable_entity) << ragged.body.dump();
  EXPECT_NE(error_of(ragged).find("matrix"), std::string::npos) << ragged.body.dump();

  layers.set_executor("cpu_main",
                      [](jarvis::OperationKind, const json&, jarvis::TensorStore*,
                         const jarvis::StopToken&) -> jarvis::OpResult {
                        throw std::runtime_error("detail that must stay in the log");
                      });
  const auto thrown = answer_vgpu_submit(
      layers,
      R"({"kind": "linalg", "payload": {"matrix": [1.0], "vector": [2.0], "operation": "matmul"}})");
  EXPECT_EQ(thrown.status, http::Status::internal_server_error) << thrown.body.dump();
  EXPECT_EQ(thrown.body.dump().find("detail"), std::string::npos) << thrown.body.dump();

  layers.set_executor("cpu_main",
                      [](jarvis::OperationKind, const json&, jarvis::TensorStore*,
                         const jarvis::StopToken&) -> jarvis::OpResult { throw std::bad_alloc(); });
  const auto oom = answer_vgpu_submit(
      layers,
      R"({"kind": "linalg", "payload": {"matrix": [3.0], "vector": [2.0], "operation": "matmul"}})");
  EXPECT_EQ(oom.status, http::Status::internal_server_error) << oom.body.dump();
}

}  // namespace
}  // namespace synthminer::vgpu_service
