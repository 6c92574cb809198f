// Preservation clip "sphere_field_pan": the camera pans (tracks sideways) over a meadow
// scattered with colourful glossy spheres. Animated with clock 0..1 (24 frames).
#version 3.7;
global_settings { assumed_gamma 1.0 }

#declare Pan_X = -3.0 + 6.0 * clock;
camera {
  perspective
  location <Pan_X, 3.0, -9.0>
  look_at <Pan_X + 0.6, 0.2, 4.0>
  right x * 16 / 9
  up y
  angle 55
}

light_source { <-30, 40, -25> color rgb <1.0, 0.96, 0.88> * 1.3 area_light x * 4, z * 4, 3, 3 adaptive 1 jitter }
light_source { <20, 25, -30> color rgb <0.55, 0.65, 0.85> * 0.35 shadowless }

sky_sphere {
  pigment {
    gradient y
    color_map { [0.0 rgb <0.85, 0.9, 1.0>] [0.35 rgb <0.35, 0.58, 0.92>] [1.0 rgb <0.15, 0.35, 0.8>] }
  }
}

plane {
  y, 0
  texture {
    pigment { granite color_map { [0 rgb <0.16, 0.42, 0.1>] [0.6 rgb <0.28, 0.55, 0.14>] [1 rgb <0.4, 0.62, 0.2>] } scale 3 }
    normal { bumps 0.25 scale 0.15 }
    finish { ambient 0.08 diffuse 0.8 }
  }
}

// A jittered grid of spheres, colours and sizes from a fixed random seed.
#declare Seed = seed(2024);
#declare Palette = array[7] {
  rgb <0.9, 0.1, 0.1>, rgb <1.0, 0.6, 0.05>, rgb <0.98, 0.88, 0.1>, rgb <0.15, 0.7, 0.25>,
  rgb <0.1, 0.45, 0.95>, rgb <0.55, 0.2, 0.8>, rgb <0.95, 0.4, 0.7>
}
#declare Ix = -9;
#while (Ix <= 9)
  #declare Iz = -3;
  #while (Iz <= 12)
    #declare R = 0.3 + 0.35 * rand(Seed);
    #declare P = <Ix * 1.9 + 1.0 * (rand(Seed) - 0.5), R, Iz * 2.0 + 1.0 * (rand(Seed) - 0.5)>;
    #declare C = Palette[min(6, floor(7 * rand(Seed)))];
    sphere {
      P, R
      texture {
        pigment { color C }
        finish { ambient 0.05 diffuse 0.7 specular 0.7 roughness 0.005 reflection { 0.04 0.2 fresnel on } conserve_energy }
      }
    }
    #declare Iz = Iz + 1;
  #end
  #declare Ix = Ix + 1;
#end
