// DemoPool's public face: every call forwards to DemoPool::Impl
// (demo_pool_server.h), which keeps Asio out of this header's users.
#include "demo_pool/demo_pool.h"

#include <cmath>

#include "demo_pool/demo_pool_server.h"

namespace synthminer::demo_pool {

double difficulty_from_zero_bits(int bits) {
  return std::ldexp(1.0, bits - 32);
}

DemoPool::DemoPool(DemoPoolOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

DemoPool::~DemoPool() = default;

protocol::Result<uint16_t> DemoPool::start() {
  return impl_->start();
}

void DemoPool::stop() {
  impl_->stop();
}

void DemoPool::restart_job_clock() {
  impl_->restart_job_clock();
}

uint16_t DemoPool::port() const {
  return impl_->port();
}

std::vector<ShareRecord> DemoPool::shares() const {
  return impl_->records().shares();
}

ShareCounts DemoPool::counts() const {
  return impl_->records().counts();
}

std::vector<ReceivedMessage> DemoPool::received() const {
  return impl_->records().received();
}

size_t DemoPool::connections() const {
  return impl_->records().connections();
}

uint64_t DemoPool::connections_total() const {
  return impl_->records().connections_total();
}

std::optional<protocol::Job> DemoPool::current_job() const {
  return impl_->job_copy();
}

double DemoPool::difficulty() const {
  return impl_->difficulty();
}

bool DemoPool::wait_for_shares(size_t count, std::chrono::milliseconds timeout) const {
  return impl_->records().wait_for_shares(count, timeout);
}

bool DemoPool::wait_for_connections(size_t count, std::chrono::milliseconds timeout) const {
  return impl_->records().wait_for_connections(count, timeout);
}

bool DemoPool::wait_for_method(std::string_view method, size_t count,
                               std::chrono::milliseconds timeout) const {
  return impl_->records().wait_for_method(method, count, timeout);
}

void DemoPool::set_response_delay(std::chrono::milliseconds delay) {
  impl_->set_response_delay(delay);
}

void DemoPool::set_unanswered(std::vector<std::string> methods) {
  impl_->set_unanswered(std::move(methods));
}

void DemoPool::set_reject_ratio(double ratio, Reject reason) {
  impl_->set_reject_ratio(ratio, reason);
}

void DemoPool::drop_connections() {
  impl_->drop_connections();
}

void DemoPool::send_line(std::string line) {
  impl_->send_raw(std::move(line) + "\n");
}

void DemoPool::send_garbage() {
  send_line("this is not JSON {\"id\":");
}

void DemoPool::send_oversized_line(size_t bytes) {
  impl_->send_raw(std::string(bytes, 'x'));
}

void DemoPool::send_reconnect(std::string host, uint16_t port, uint32_t wait_seconds) {
  impl_->send_notification("client.reconnect",
                           nlohmann::json::array({std::move(host), port, wait_seconds}));
}

void DemoPool::send_notification(std::string method, nlohmann::json params) {
  impl_->send_notification(std::move(method), std::move(params));
}

uint64_t DemoPool::send_request(std::string method, nlohmann::json params) {
  return impl_->send_request(std::move(method), params);
}

void DemoPool::set_difficulty(double difficulty) {
  impl_->set_difficulty(difficulty);
}

void DemoPool::send_set_extranonce(size_t extranonce1_size, uint32_t extranonce2_size) {
  impl_->send_set_extranonce(extranonce1_size, extranonce2_size);
}

void DemoPool::send_new_job(bool clean) {
  impl_->send_new_job(clean);
}

}  // namespace synthminer::demo_pool
