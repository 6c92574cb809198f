// Preservation clip "rolling_ball": a red-and-white striped ball rolls from left to right
// across a wooden floor in front of a pale wall; the camera is still. clock 0..1 (24 frames).
#version 3.7;
global_settings { assumed_gamma 1.0 }

camera {
  perspective
  location <0, 1.6, -6.5>
  look_at <0, 0.7, 0>
  right x * 16 / 9
  up y
  angle 50
}

light_source { <-4, 7, -5> color rgb <1.0, 0.95, 0.88> * 1.2 area_light x * 2.5, z * 2.5, 4, 4 adaptive 1 jitter }
light_source { <5, 4, -6> color rgb <0.8, 0.85, 1.0> * 0.35 shadowless }

// Wooden floor boards.
plane {
  y, 0
  texture {
    pigment {
      wood turbulence 0.08
      color_map { [0.0 rgb <0.55, 0.33, 0.16>] [0.5 rgb <0.68, 0.44, 0.22>] [1.0 rgb <0.5, 0.3, 0.14>] }
      scale <0.08, 0.08, 1> rotate y * 90
    }
    finish { ambient 0.05 diffuse 0.75 specular 0.25 roughness 0.02 reflection 0.05 }
  }
  texture {
    // thin dark gaps between the boards
    pigment { gradient z color_map { [0.0 rgbt <0.15, 0.08, 0.04, 0>] [0.02 rgbt <0.15, 0.08, 0.04, 0>] [0.02 rgbt 1] [1 rgbt 1] } scale 0.6 }
  }
}

// Pale back wall with a skirting board.
plane { -z, -3 texture { pigment { rgb <0.72, 0.76, 0.7> } finish { ambient 0.08 diffuse 0.7 } } }
box { <-20, 0, 2.9>, <20, 0.3, 3.01> texture { pigment { rgb 0.95 } finish { ambient 0.1 diffuse 0.7 specular 0.2 } } }

// The ball rolls without slipping: rotation angle = distance / radius.
#declare Ball_R = 0.65;
#declare Start_X = -2.6;
#declare Ball_X = Start_X + 5.2 * clock;
sphere {
  0, Ball_R
  texture {
    pigment {
      radial frequency 4
      color_map { [0.0 rgb <0.85, 0.06, 0.05>] [0.5 rgb <0.85, 0.06, 0.05>] [0.5 rgb 0.95] [1.0 rgb 0.95] }
      rotate x * 90
    }
    finish { ambient 0.05 diffuse 0.7 specular 0.6 roughness 0.008 }
  }
  rotate y * 25
  rotate z * degrees(-(Ball_X - Start_X) / Ball_R)
  translate <Ball_X, Ball_R, 0>
}
