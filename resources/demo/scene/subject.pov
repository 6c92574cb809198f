// MotionBooth Studio demo subject: the toy robot on a seamless studio sweep, photographed
// from five views. Rendered by scripts/make_demo_assets.sh; command-line declarations:
//   View     = 1..5   which view (turntable angle and camera height, table below)
//   Backdrop = 1      the photo: toy on the studio sweep, with shadows
//   Backdrop = 0      the mask pass: toy alone in front of nothing, render with +UA
#version 3.7;
#ifndef (View) #declare View = 1; #end
#ifndef (Backdrop) #declare Backdrop = 1; #end

#include "toy_robot.inc"

global_settings {
  assumed_gamma 1.0
  max_trace_level 8
  #if (Backdrop)
  radiosity {
    pretrace_start 0.08 pretrace_end 0.02
    count 60 error_bound 1.2 recursion_limit 1
    nearest_count 5 low_error_factor 0.5 gray_threshold 0.0
    brightness 1.0 adc_bailout 0.01
  }
  #end
}

// View table: turntable yaw of the toy (degrees, 0 = facing the camera) and camera elevation (degrees).
#declare Yaw = array[5] { -25, 35, -70, 145, 12 };
#declare Elev = array[5] { 10, 10, 12, 12, 34 };
#declare Cam_Dist = 9.0;
#declare Target = <0, 1.25, 0>;

camera {
  perspective
  location Target + Cam_Dist * <0, sin(radians(Elev[View - 1])), -cos(radians(Elev[View - 1]))>
  look_at Target
  right x * 1
  up y * 1
  angle 24
}

// Soft studio lighting: a large key softbox, a fill, and a rim light from behind.
light_source {
  <-6, 9, -6> color rgb <1.0, 0.97, 0.92> * 0.95
  area_light x * 3.5, z * 3.5, 6, 6 adaptive 1 jitter circular orient
  fade_distance 11 fade_power 2
}
light_source {
  <7, 4, -5> color rgb <0.85, 0.9, 1.0> * 0.45
  area_light x * 4, y * 4, 4, 4 adaptive 1 jitter circular orient
  shadowless
}
light_source {
  <2, 8, 7> color rgb 0.6
  area_light x * 3, z * 3, 4, 4 adaptive 1 jitter circular orient
}

object { Toy_Robot rotate y * Yaw[View - 1] }

#if (Backdrop)
  // Seamless paper sweep: floor, a curved cove of radius 6, and a back wall.
  #declare Sweep_Z = 2.0;
  #declare Sweep_R = 6.0;
  union {
    box { <-60, -1, -60>, <60, 0, Sweep_Z> }
    difference {
      box { <-60, 0, Sweep_Z>, <60, Sweep_R, Sweep_Z + Sweep_R> }
      cylinder { <-61, Sweep_R, Sweep_Z>, <61, Sweep_R, Sweep_Z>, Sweep_R }
    }
    box { <-60, Sweep_R, Sweep_Z + Sweep_R>, <60, 60, Sweep_Z + Sweep_R + 1> }
    texture {
      pigment { rgb <0.46, 0.455, 0.44> }
      finish { ambient 0 diffuse 0.85 specular 0.05 roughness 0.1 }
    }
  }
  background { rgb 0.5 }
#end
