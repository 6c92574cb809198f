// Preservation clip "block_tower_orbit": the camera slowly orbits a small tower of colourful
// wooden toy blocks standing on a table top. clock 0..1 (24 frames).
#version 3.7;
global_settings { assumed_gamma 1.0 }

#declare Orbit = -35 + 70 * clock;
camera {
  perspective
  location <0, 3.6, -9.5> rotate y * Orbit
  look_at <0, 1.2, 0>
  right x * 16 / 9
  up y
  angle 40
}

light_source { <-5, 8, -6> color rgb <1.0, 0.96, 0.9> * 1.2 area_light x * 3, z * 3, 4, 4 adaptive 1 jitter }
light_source { <6, 5, -4> color rgb <0.8, 0.85, 1.0> * 0.4 shadowless }

background { rgb <0.3, 0.32, 0.36> }

// Table top.
box {
  <-6, -0.2, -6>, <6, 0, 6>
  texture {
    pigment {
      wood turbulence 0.1
      color_map { [0 rgb <0.72, 0.52, 0.3>] [0.6 rgb <0.8, 0.6, 0.36>] [1 rgb <0.66, 0.46, 0.26>] }
      scale 0.25 rotate x * 90
    }
    finish { ambient 0.06 diffuse 0.75 specular 0.15 roughness 0.03 }
  }
}

#declare F_Paint = finish { ambient 0.05 diffuse 0.75 specular 0.35 roughness 0.02 }
#macro Block(Lo, Hi, Col, Ang)
  box { Lo, Hi texture { pigment { color Col } finish { F_Paint } } rotate y * Ang }
#end
// Bottom: two long beams; then a cube, a cylinder, a cross beam, and a roof prism on top.
Block(<-1.4, 0, -0.35>, <1.4, 0.5, 0.35>, rgb <0.1, 0.4, 0.9>, 0)
Block(<-0.35, 0.5, -1.3>, <0.35, 1.0, 1.3>, rgb <0.95, 0.75, 0.1>, 0)
Block(<-0.45, 1.0, -0.45>, <0.45, 1.9, 0.45>, rgb <0.9, 0.12, 0.1>, 15)
cylinder { <0, 1.9, 0>, <0, 2.4, 0>, 0.42 texture { pigment { rgb <0.15, 0.65, 0.25> } finish { F_Paint } } }
prism {
  linear_spline 0, 1.0, 4, <-0.55, 0>, <0.55, 0>, <0, 0.6>, <-0.55, 0>
  rotate x * -90 translate <0, 2.4, -0.5>
  texture { pigment { rgb <0.6, 0.25, 0.75> } finish { F_Paint } }
}
// Loose blocks lying around.
Block(<1.6, 0, -1.4>, <2.2, 0.6, -0.8>, rgb <0.95, 0.45, 0.1>, 30)
Block(<-2.6, 0, 0.6>, <-1.8, 0.4, 1.4>, rgb <0.15, 0.65, 0.25>, -20)
cylinder { <-1.6, 0, -1.6>, <-1.6, 0.7, -1.6>, 0.3 texture { pigment { rgb <0.98, 0.85, 0.15> } finish { F_Paint } } }
