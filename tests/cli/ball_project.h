#pragma once
// The built-in model's test shot: a red ball crossing a forest path left to right at its own 112×64, the
// camera panning 20% right; 8 frames, 25 steps, 5 amplified steps and a shift over steps 5..10.
#include <filesystem>
#include <fstream>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace mbtest {

/** Writes the project (and the ball's photo and mask) into `dir`, emptied first; returns the project path. */
inline std::string writeBallProject(const std::filesystem::path& dir) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // The animatic needs a cut-out; the render only needs the class phrase.
    cv::Mat photo(64, 64, CV_8UC3, cv::Scalar(255, 255, 255)), mask(64, 64, CV_8UC1, cv::Scalar(0));
    cv::circle(photo, {32, 32}, 28, cv::Scalar(40, 40, 215), cv::FILLED);
    cv::circle(mask, {32, 32}, 28, cv::Scalar(255), cv::FILLED);
    cv::imwrite((dir / "ball.png").string(), photo);
    cv::imwrite((dir / "ball_mask.png").string(), mask);
    const std::string path = (dir / "ball.mbproj").string();
    std::ofstream(path) << R"({
  "format_version": 1,
  "shot": {"prompt": "a {ball} on a forest path", "frames": 8, "fps": 8, "width": 112, "height": 64,
           "seed": 0, "steps": 25, "guidance_scale": 7.5},
  "subjects": [{"id": "ball", "class_name": "red ball", "learned": false,
                "photos": [{"image": "ball.png", "mask": "ball_mask.png"}]}],
  "box_tracks": [{"subject": "ball", "keyframes": [
      {"time": 0.0, "box": [0.05, 0.3, 0.39, 0.9], "easing": "linear"},
      {"time": 1.0, "box": [0.60, 0.3, 0.94, 0.9], "easing": "linear"}]}],
  "camera": {"keyframes": [{"time": 0.0, "offset": [0.0, 0.0], "easing": "linear"},
                           {"time": 1.0, "offset": [0.2, 0.0], "easing": "linear"}]},
  "render": {"edit_scale": 7.5, "amplify_steps": 5, "shift_start_step": 5, "shift_steps": 5}
})";
    return path;
}

} // namespace mbtest
