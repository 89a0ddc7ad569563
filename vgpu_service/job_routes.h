// The job routes of the vgpu layer:
//   POST   /1/vgpu/jobs       a submit body plus an optional "deadline_ms":
//                             202 {"id", "state": "queued"} and a Location
//                             header; 503 (with Retry-After) when the queue
//                             is full. The body is parsed on the worker, so a
//                             bad one shows as a failed job (status 400, 413
//                             or 422 and the reason), not in the 202.
//   GET    /1/vgpu/jobs/<id>  the job (VgpuJobs::view); 404 for an unknown id
//   DELETE /1/vgpu/jobs/<id>  cancels it: 200 with the job; 409 when it had
//                             already ended; 404 for an unknown id
// Every one needs the API token, as POST /1/vgpu/submit does (the demo's
// loopback exception included): a job's result is its submitter's.
#pragma once

#include <cstddef>
#include <memory>

#include "http/router.h"
#include "vgpu_service/vgpu_jobs.h"

namespace synthminer::vgpu_service {

class VgpuService;

/// Adds the three routes; `service` runs the jobs and outlives the router's
/// server; POST bodies up to `max_body_bytes`.
void add_job_routes(http::Router& router, VgpuService& service, std::shared_ptr<VgpuJobs> jobs,
                    size_t max_body_bytes);

}  // namespace synthminer::vgpu_service
