#include "stratum/line_framer.h"

namespace synthminer::stratum {

bool LineFramer::feed(std::string_view data, std::vector<std::string>& lines) {
  if (failed_) return false;
  while (!data.empty()) {
    const size_t nl = data.find('\n');
    const std::string_view piece = data.substr(0, nl);
    // The limit counts the line without its ending; a "\r" may still follow.
    if (partial_.size() + piece.size() > max_line_ + 1) {
      failed_ = true;
      return false;
    }
    partial_.append(piece);
    if (nl == std::string_view::npos) {
      if (partial_.size() > max_line_ && partial_.back() != '\r') failed_ = true;
      return !failed_;
    }
    if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
    if (partial_.size() > max_line_) {
      failed_ = true;
      return false;
    }
    if (!partial_.empty()) lines.push_back(std::move(partial_));
    partial_.clear();
    data.remove_prefix(nl + 1);
  }
  return true;
}

}  // namespace synthminer::stratum
