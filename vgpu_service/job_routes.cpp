#include "vgpu_service/job_routes.h"

#include <spdlog/spdlog.h>

#include "vgpu_service/vgpu_service.h"

namespace synthminer::vgpu_service {
namespace {

constexpr const char* kJobsPath = "/1/vgpu/jobs";

http::Response job_view(const std::string& text, http::Status status = http::Status::ok) {
  return http::Response::raw("application/json", text, status);
}

http::Response unknown_job(std::string_view id) {
  // The id comes from the client: only a printable, bounded copy goes back.
  std::string shown;
  for (const char c : id.substr(0, 32)) shown += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
  return http::Response::error(http::Status::not_found,
                               "job \"" + shown + "\": unknown (never created, or forgotten)");
}

void post_job(VgpuService& service, const std::shared_ptr<VgpuJobs>& jobs, http::Request request,
              http::Responder reply) {
  if (auto refusal = service.refuse_new()) return reply.send(std::move(*refusal));
  const std::string id = jobs->create();
  service.run_body(
      std::move(request.body), /*job=*/true,
      [jobs, id](const VgpuRequest& parsed) { return jobs->start(id, parsed.deadline_ms); },
      [jobs, id](VgpuAnswer answer) { jobs->finish(id, answer); });
  http::Response accepted;
  accepted.status = http::Status::accepted;
  accepted.body = {{"id", id}, {"state", "queued"}};
  accepted.headers.emplace_back("Location", std::string(kJobsPath) + "/" + id);
  reply.send(std::move(accepted));
}

void get_job(VgpuJobs& jobs, const http::Request& request, http::Responder& reply) {
  const std::string id(http::path_segment(request.path));
  auto view = jobs.view(id);
  if (!view) return reply.send(unknown_job(id));
  reply.send(job_view(*view));
}

void delete_job(VgpuJobs& jobs, const http::Request& request, http::Responder& reply) {
  const std::string id(http::path_segment(request.path));
  const VgpuJobs::Cancel outcome = jobs.cancel(id);
  if (outcome == VgpuJobs::Cancel::kUnknown) return reply.send(unknown_job(id));
  auto view = jobs.view(id);
  if (!view) return reply.send(unknown_job(id));  // forgotten in between
  reply.send(job_view(
      *view, outcome == VgpuJobs::Cancel::kCancelled ? http::Status::ok : http::Status::conflict));
}

}  // namespace

void add_job_routes(http::Router& router, VgpuService& service, std::shared_ptr<VgpuJobs> jobs,
                    size_t max_body_bytes) {
  http::Route post{http::Verb::post, kJobsPath,
                   [&service, jobs](http::Request request, http::Responder reply) {
                     post_job(service, jobs, std::move(request), std::move(reply));
                   }};
  post.body_limit_bytes = max_body_bytes;
  post.json_body = false;  // parsed on the worker, not the io thread
  post.requires_auth = true;
  http::Route get{
      http::Verb::get, std::string(kJobsPath) + "/*",
      [jobs](http::Request request, http::Responder reply) { get_job(*jobs, request, reply); }};
  get.requires_auth = true;
  http::Route cancel{
      http::Verb::delete_, std::string(kJobsPath) + "/*",
      [jobs](http::Request request, http::Responder reply) { delete_job(*jobs, request, reply); }};
  cancel.requires_auth = true;
  cancel.json_body = false;
  for (http::Route* route : {&post, &get, &cancel}) {
    const std::string path = route->path;
    if (!router.add(std::move(*route))) spdlog::error("api: {} registered twice", path);
  }
}

}  // namespace synthminer::vgpu_service
