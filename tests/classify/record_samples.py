"""Generator records in their real formats, written for these tests (no third-party file is copied).

Each sample follows the shape its tool writes (sources in ``provenance/classify/_records.py``);
prompts, seeds and hashes are made up. ``SAMPLES`` maps a sample name to (the
:data:`~provenance.classify._records.RECORD_FORMATS` id expected, the text).
"""

from __future__ import annotations

import json

A1111 = (
    "a lighthouse on a rocky coast at dusk, volumetric light, highly detailed\n"
    "Negative prompt: blurry, lowres, watermark\n"
    "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567890, "
    "Size: 512x512, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.10.1"
)
FORGE = (
    "portrait of an old fisherman, rim light\n"
    "Steps: 25, Sampler: Euler a, Schedule type: Automatic, CFG scale: 3.5, Distilled CFG Scale: 3.5, "
    "Seed: 98765, Size: 896x1152, Model hash: 4f1a0e2b9c, Model: flux1-dev-fp8, Version: f2.0.1v1.10.1-previous-313"
)
CIVITAI = (
    "a red fox in the snow\nNegative prompt: text\n"
    "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 5, Seed: 42, Size: 832x1216, "
    'Civitai resources: [{"type":"checkpoint","modelVersionId":290640}], Civitai metadata: {}'
)
COMFYUI_API = json.dumps({
    "3": {"inputs": {"seed": 156680208700286, "steps": 20, "cfg": 8, "sampler_name": "euler",
                     "scheduler": "normal", "denoise": 1, "model": ["4", 0], "positive": ["6", 0],
                     "negative": ["7", 0], "latent_image": ["5", 0]}, "class_type": "KSampler"},
    "4": {"inputs": {"ckpt_name": "v1-5-pruned-emaonly.safetensors"}, "class_type": "CheckpointLoaderSimple"},
    "6": {"inputs": {"text": "a lighthouse at dusk", "clip": ["4", 1]}, "class_type": "CLIPTextEncode"},
    "9": {"inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}, "class_type": "SaveImage"},
})
COMFYUI_WORKFLOW = json.dumps({
    "last_node_id": 9, "last_link_id": 9,
    "nodes": [{"id": 3, "type": "KSampler", "pos": [863, 186], "size": [315, 262], "flags": {}, "order": 4,
               "mode": 0, "inputs": [{"name": "model", "type": "MODEL", "link": 1}],
               "outputs": [{"name": "LATENT", "type": "LATENT", "links": [7], "slot_index": 0}],
               "properties": {"Node name for S&R": "KSampler"},
               "widgets_values": [156680208700286, "randomize", 20, 8, "euler", "normal", 1]}],
    "links": [[1, 4, 0, 3, 0, "MODEL"]], "groups": [], "config": {}, "extra": {"ds": {"scale": 1}},
    "version": 0.4,
})
COMFYUI_WORKFLOW_V1 = json.dumps({
    "version": 1, "state": {"lastNodeId": 9, "lastLinkId": 9, "lastGroupId": 0, "lastRerouteId": 0},
    "nodes": [{"id": 3, "type": "KSampler", "pos": [863, 186], "size": [315, 262]}],
    "links": [{"id": 1, "origin_id": 4, "origin_slot": 0, "target_id": 3, "target_slot": 0, "type": "MODEL"}],
})
INVOKEAI = json.dumps({
    "generation_mode": "sdxl_txt2img", "positive_prompt": "a lighthouse at dusk", "negative_prompt": "",
    "width": 1024, "height": 1024, "seed": 3123456789, "rand_device": "cpu", "cfg_scale": 7.5,
    "cfg_rescale_multiplier": 0, "steps": 30, "scheduler": "euler",
    "model": {"key": "6a3f0c1e", "hash": "blake3:9f2c", "name": "Juggernaut XL v9", "base": "sdxl", "type": "main"},
    "app_version": "4.2.9",
})
INVOKEAI_LEGACY = json.dumps({
    "model": "stable diffusion", "model_weights": "stable-diffusion-1.5", "model_hash": "cc6cb27103",
    "app_id": "invoke-ai/InvokeAI", "app_version": "2.2.5",
    "image": {"prompt": [{"prompt": "a lighthouse at dusk", "weight": 1.0}], "steps": 50, "cfg_scale": 7.5,
              "threshold": 0, "perlin": 0, "height": 512, "width": 512, "seed": 1234, "type": "txt2img",
              "sampler": "k_lms", "variations": []},
})
INVOKEAI_GRAPH = json.dumps({
    "id": "sdxl_graph", "nodes": {
        "sdxl_model_loader": {"type": "sdxl_model_loader", "id": "sdxl_model_loader", "is_intermediate": True},
        "denoise": {"type": "denoise_latents", "id": "denoise", "steps": 30, "cfg_scale": 7.5}},
    "edges": [{"source": {"node_id": "sdxl_model_loader", "field": "unet"},
               "destination": {"node_id": "denoise", "field": "unet"}}],
})
INVOKEAI_DREAM = '"a lighthouse at dusk" -s 50 -S 2385472 -W 512 -H 512 -C 7.5 -A k_lms'
FOOOCUS = json.dumps({
    "Prompt": "a lighthouse at dusk", "Negative Prompt": "", "Fooocus V2 Expansion": "a lighthouse at dusk, "
    "intricate, elegant", "Styles": "['Fooocus V2', 'Fooocus Enhance']", "Performance": "Speed",
    "Resolution": "(1152, 896)", "Guidance Scale": 4, "Sharpness": 2, "ADM Guidance": "(1.5, 0.8, 0.3)",
    "Base Model": "juggernautXL_v8Rundiffusion.safetensors", "Refiner Model": "None", "Refiner Switch": 0.5,
    "Sampler": "dpmpp_2m_sde_gpu", "Scheduler": "karras", "Seed": 5082212931, "Version": "Fooocus v2.1.865",
})
FOOOCUS_META = json.dumps({
    "prompt": "a lighthouse at dusk", "negative_prompt": "", "styles": "['Fooocus V2']",
    "performance": "Speed", "resolution": "(1152, 896)", "guidance_scale": 4, "sharpness": 2,
    "base_model": "juggernautXL_v8Rundiffusion", "refiner_model": "None", "sampler": "dpmpp_2m_sde_gpu",
    "scheduler": "karras", "seed": "5082212931", "version": "Fooocus v2.5.5",
})
RUINED_FOOOCUS = json.dumps({
    "Prompt": "a lighthouse at dusk", "Negative": "", "steps": 30, "cfg": 8.0, "width": 1152, "height": 896,
    "seed": 123456, "sampler_name": "dpmpp_2m_sde_gpu", "scheduler": "karras",
    "base_model_name": "sd_xl_base_1.0.safetensors", "base_model_hash": "31e35c80fc", "loras": [],
    "start_step": 0, "denoise": None, "clip_skip": 1, "software": "RuinedFooocus",
})
SWARMUI = json.dumps({
    "sui_image_params": {"prompt": "a lighthouse at dusk", "negativeprompt": "", "model": "OfficialStableDiffusion/"
                         "sd_xl_base_1.0", "seed": 2083100758, "steps": 20, "cfgscale": 7, "aspectratio": "1:1",
                         "width": 1024, "height": 1024, "swarm_version": "0.9.4.0"},
    "sui_extra_data": {"date": "2025-01-05", "prep_time": "0.01 sec", "generation_time": "4.21 sec"},
}, indent=2)
NOVELAI = json.dumps({
    "prompt": "1girl, solo, very aesthetic, masterpiece, no text", "steps": 28, "height": 1216, "width": 832,
    "scale": 5.0, "uncond_scale": 0.0, "cfg_rescale": 0.0, "seed": 2043807047, "n_samples": 1,
    "noise_schedule": "karras", "sampler": "k_euler_ancestral", "uc": "lowres, bad anatomy",
})
NOVELAI_OLD = json.dumps({"prompt": "a lighthouse at dusk", "steps": 28, "sampler": "k_euler_ancestral",
                          "seed": 1395838282, "strength": 0.7, "noise": 0.2, "scale": 11.0,
                          "uc": "lowres, bad anatomy"})
STABILITY_MATRIX = json.dumps({
    "PositivePrompt": "a lighthouse at dusk", "NegativePrompt": "blurry", "Steps": 30, "Sampler": "DPM++ 2M",
    "CfgScale": 7.0, "Seed": 3344556677, "Height": 1024, "Width": 1024, "ModelName": "sd_xl_base_1.0",
    "ModelHash": "31e35c80fc",
})
TENSOR_ART = json.dumps({
    "prompt": "a lighthouse at dusk", "negativePrompt": "", "width": 768, "height": 1152, "seed": "1718227350",
    "steps": 25, "cfgScale": 7, "clipSkip": 2,
    "baseModel": {"modelFileName": "majicmixRealistic_v7.safetensors", "hash": "7C819B6D13"},
}) + "\x00\x00\x00"
CIVITAI_JSON = json.dumps({
    "resource-stack": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "urn:air:sdxl:checkpoint:"
                                                                              "civitai:133005@357609"}},
    "extraMetadata": json.dumps({"prompt": "a red fox in the snow", "negativePrompt": "", "cfgScale": 5,
                                 "sampler": "DPM++ 2M Karras", "steps": 30, "seed": 42, "width": 832,
                                 "height": 1216}),
})
MIDJOURNEY = ("a lighthouse on a rocky coast at dusk --ar 3:2 --v 6.1 --stylize 250 "
              "Job ID: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")
MIDJOURNEY_JOB = "Job ID: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
MIDJOURNEY_NIJI = "anime cat in a teashop --niji 6 --ar 9:16"
GENERIC_JSON = json.dumps({"prompt": "a lighthouse at dusk", "seed": 7, "steps": 40, "cfg_scale": 6.5,
                           "app": "some future generator"})

SAMPLES: dict[str, tuple[str, str]] = {
    "a1111": ("a1111", A1111),
    "forge": ("a1111", FORGE),
    "civitai_text": ("civitai", CIVITAI),
    "civitai_json": ("civitai", CIVITAI_JSON),
    "comfyui_api": ("comfyui_api", COMFYUI_API),
    "comfyui_api_under_prompt": ("comfyui_api", json.dumps({"prompt": json.loads(COMFYUI_API)})),
    "comfyui_workflow": ("comfyui_workflow", COMFYUI_WORKFLOW),
    "comfyui_workflow_v1": ("comfyui_workflow", COMFYUI_WORKFLOW_V1),
    "invokeai": ("invokeai", INVOKEAI),
    "invokeai_legacy": ("invokeai", INVOKEAI_LEGACY),
    "invokeai_graph": ("invokeai", INVOKEAI_GRAPH),
    "invokeai_dream": ("invokeai_dream", INVOKEAI_DREAM),
    "fooocus": ("fooocus", FOOOCUS),
    "fooocus_meta": ("fooocus", FOOOCUS_META),
    "ruined_fooocus": ("ruined_fooocus", RUINED_FOOOCUS),
    "swarmui": ("swarmui", SWARMUI),
    "novelai": ("novelai", NOVELAI),
    "novelai_old": ("novelai", NOVELAI_OLD),
    "stability_matrix": ("stability_matrix", STABILITY_MATRIX),
    "tensor_art": ("tensor_art", TENSOR_ART),
    "midjourney": ("midjourney", MIDJOURNEY),
    "midjourney_job": ("midjourney", MIDJOURNEY_JOB),
    "midjourney_niji": ("midjourney", MIDJOURNEY_NIJI),
    "generic_json": ("generic_json", GENERIC_JSON),
}
"""Sample name -> (expected record format id, text)."""

ORDINARY_TEXTS: tuple[str, ...] = (
    "Sunset over the harbour, shot on a Canon EOS R6",
    "Steps to the lighthouse, photographed at dawn",
    "Seed: the studio's spring catalogue, model: Anna (agency), sampler of fabrics",
    "Negative prompt: none. A portrait in natural light.",
    '{"title": "Harbour", "rating": 5}',
    '{"prompt": "caption for the web team"}',
    "Adobe Photoshop 25.6 (Macintosh)",
    "--verbose --output report.json",
    "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    "Copyright 2025 Jane Doe Photography. All rights reserved.",
    "iPhone 15 Pro back triple camera 6.86mm f/1.78",
)
"""Real-looking captions, software names and JSON that are not generator records."""
