"""GLSL sources of the OpenGL backend (``trainer.render.gl``), OpenGL 3.3 core.

The software rasteriser (Mesa llvmpipe) is bound by the work per pixel, so everything
that is smooth across a face is computed per vertex: the sun, the Earthshine, the ambient
light and the distant station floodlights. Per pixel remain only the sun's shadow (one
filtered lookup in the shadow map) and, at night, the camera's own lamp, whose pool edge
crosses large faces (Dragon's top).
"""

from __future__ import annotations

from trainer.render.earth import ATMOSPHERE_RADII, HAZE_RGB

MAX_FLOODS = 4
# Shadow lookups are offset from the surface along its normal by about one texel of each
# map (trainer.render.shadows: 8 mm and 4.7 cm), against self-shadowing at grazing sun.
SHADOW_NORMAL_OFFSET_M = (0.01, 0.05)
# Image brightness above which a camera compresses toward white instead of clipping (E:
# keeps white modules in full sun from burning out the fixture's grey plate).
KNEE = 0.6

MESH_VS = f"""
#version 330
#define MAX_FLOODS {MAX_FLOODS}
const float NEAR_OFFSET_M = {SHADOW_NORMAL_OFFSET_M[0]};
const float FAR_OFFSET_M = {SHADOW_NORMAL_OFFSET_M[1]};
uniform mat4 mv;
uniform mat4 proj;
uniform mat4 light_near;
uniform mat4 light_far;
uniform vec3 sun_dir;
uniform float sun_i;
uniform vec3 nadir_dir;
uniform float earth_i;
uniform float ambient;
uniform int n_floods;
uniform vec3 flood_pos[MAX_FLOODS];
uniform vec3 flood_dir[MAX_FLOODS];
uniform float flood_cos[MAX_FLOODS];
uniform float flood_i[MAX_FLOODS];
uniform float flood_inv_half2[MAX_FLOODS];
in vec3 in_pos;
in vec3 in_normal;
in vec3 in_color;
out vec3 v_pos;
out vec3 v_normal;
out vec3 v_color;
out vec3 v_lit;
out vec3 v_sun;
out vec3 v_near;
out vec3 v_far;
float spot(vec3 to_lamp, vec3 n, vec3 axis, float cos_edge, float intensity, float inv_half2) {{
    float d2 = dot(to_lamp, to_lamp);
    vec3 l = to_lamp * inversesqrt(d2);
    float cone = smoothstep(cos_edge, mix(cos_edge, 1.0, 0.35), dot(-l, axis));
    return intensity * cone * max(dot(n, l), 0.0) / (1.0 + d2 * inv_half2);
}}
void main() {{
    vec4 p = mv * vec4(in_pos, 1.0);
    vec3 n = mat3(mv) * in_normal;
    vec3 v = normalize(-p.xyz);
    if (dot(n, v) < 0.0) n = -n;  // both sides lit alike: models have mixed windings
    float diffuse = ambient + earth_i * max(dot(n, nadir_dir), 0.0);
    for (int i = 0; i < n_floods; ++i)
        diffuse += spot(flood_pos[i] - p.xyz, n, flood_dir[i], flood_cos[i], flood_i[i],
                        flood_inv_half2[i]);
    float h = max(dot(n, normalize(sun_dir + v)), 0.0);
    h *= h; h *= h; h *= h; h *= h; h *= h;  // Blinn-Phong exponent 32 without pow()
    v_lit = in_color * diffuse;
    v_sun = sun_i * (in_color * max(dot(n, sun_dir), 0.0) + vec3(0.25 * h));
    // looked up a little off the surface, along its normal: a curved face turning away
    // from the sun does not shadow itself (orthographic: w = 1)
    v_near = (light_near * vec4(in_pos + NEAR_OFFSET_M * in_normal, 1.0)).xyz;
    v_far = (light_far * vec4(in_pos + FAR_OFFSET_M * in_normal, 1.0)).xyz;
    v_pos = p.xyz;
    v_normal = n;
    v_color = in_color;
    gl_Position = proj * p;
}}
"""

# The sun's share of a pixel: 1 in sunlight, 0 in a shadow, filtered (2x2) at the edge;
# from the near map where it reaches, else the far one, else 1 (trainer.render.shadows).
_SUNLIT = """
uniform sampler2DShadow shadow_near;
uniform sampler2DShadow shadow_far;
uniform float shadows;
in vec3 v_near;
in vec3 v_far;
bool inside(vec3 c) {
    return all(greaterThan(c.xy, vec2(0.0))) && all(lessThan(c.xy, vec2(1.0)));
}
float sunlit() {
    if (shadows < 0.5) return 1.0;
    if (inside(v_near)) return texture(shadow_near, v_near);
    if (inside(v_far)) return texture(shadow_far, v_far);
    return 1.0;
}
"""

_TONE = f"""
const float KNEE = {KNEE};
vec3 tone(vec3 c) {{
    // a camera's soft shoulder: linear to KNEE, then compressed toward white
    vec3 over = max(c - KNEE, 0.0);
    return min(c, KNEE) + over / (1.0 + over / (1.0 - KNEE));
}}
"""

MESH_LAMP_FS = f"""
#version 330
uniform vec3 lamp_pos;
uniform vec3 lamp_dir;
uniform float lamp_cos;
uniform float lamp_i;
uniform float lamp_inv_half2;
in vec3 v_pos;
in vec3 v_normal;
in vec3 v_color;
in vec3 v_lit;
in vec3 v_sun;
out vec4 f_color;
{_SUNLIT}
{_TONE}
void main() {{
    vec3 n = normalize(v_normal);
    vec3 to_lamp = lamp_pos - v_pos;
    float d2 = dot(to_lamp, to_lamp);
    vec3 l = to_lamp * inversesqrt(d2);
    float cone = smoothstep(lamp_cos, mix(lamp_cos, 1.0, 0.35), dot(-l, lamp_dir));
    float lamp = lamp_i * cone * max(dot(n, l), 0.0) / (1.0 + d2 * lamp_inv_half2);
    f_color = vec4(tone(v_lit + v_sun * sunlit() + v_color * lamp), 1.0);
}}
"""

MESH_DAY_FS = f"""
#version 330
in vec3 v_lit;
in vec3 v_sun;
out vec4 f_color;
{_SUNLIT}
{_TONE}
void main() {{
    f_color = vec4(tone(v_lit + v_sun * sunlit()), 1.0);
}}
"""

DEPTH_VS = """
#version 330
uniform mat4 light_mvp;
in vec3 in_pos;
void main() {
    gl_Position = light_mvp * vec4(in_pos, 1.0);
}
"""

DEPTH_FS = """
#version 330
void main() {
}
"""

# The predictive display's ghost (trainer/prediction.py): the vehicle and the LEE where
# the commands sent will take them, one translucent colour, no lighting.
GHOST_VS = """
#version 330
uniform mat4 mv;
uniform mat4 proj;
in vec3 in_pos;
void main() {
    gl_Position = proj * mv * vec4(in_pos, 1.0);
}
"""

GHOST_FS = """
#version 330
uniform vec4 colour;
out vec4 f_color;
void main() {
    f_color = colour;
}
"""

SKY_VS = """
#version 330
uniform mat3 eye_to_world;
uniform vec2 tan_half;
in vec2 in_ndc;
out vec3 v_dir;
void main() {
    // the ray through a pixel is linear in its screen position: interpolate, normalise later
    v_dir = eye_to_world * vec3(in_ndc.x * tan_half.x, in_ndc.y * tan_half.y, -1.0);
    gl_Position = vec4(in_ndc, 1.0, 1.0);  // on the far plane: drawn only where no mesh is
}
"""

SKY_FS = f"""
#version 330
uniform vec3 centre;
uniform vec3 sun;
uniform vec2 phase_cs;
uniform samplerCube albedo;
in vec3 v_dir;
out vec4 f_color;
const vec3 HAZE = vec3({HAZE_RGB[0]}, {HAZE_RGB[1]}, {HAZE_RGB[2]});
void main() {{
    vec3 d = normalize(v_dir);
    float b = dot(d, centre);
    float disc = b * b - (dot(centre, centre) - 1.0);
    vec3 rgb;
    if (disc > 0.0 && b > 0.0) {{
        vec3 n = normalize(d * (b - sqrt(disc)) - centre);
        // Earth-fixed direction of the ground (trainer.render.earth.ground_normals)
        vec3 g = vec3(phase_cs.x * n.x + phase_cs.y * n.z, n.y, -phase_cs.y * n.x + phase_cs.x * n.z);
        float day = clamp(dot(n, sun), 0.0, 1.0);
        float limb = 1.0 - clamp(-dot(d, n), 0.0, 1.0);
        rgb = texture(albedo, g).rgb * day + HAZE * (limb * limb * limb * limb * day) * 0.35;
    }} else {{
        float closest = sqrt(max(dot(centre, centre) - b * b, 0.0)) - 1.0;
        float glow = b > 0.0 ? exp(-max(closest, 0.0) / (0.25 * {ATMOSPHERE_RADII})) : 0.0;
        rgb = HAZE * glow * 0.5 * max(0.0, sun.z + 0.3);
    }}
    f_color = vec4(clamp(rgb, 0.0, 1.0), 1.0);
}}
"""
